/**
 * One inbox, two places at once: the same ticket handled by a steward on the web console
 * (/staff, in Chromium, the page left open) and by the committee chair in the ticket's topic of
 * the Telegram staff forum (real telegraf against the fake Bot API). Every step shows on both
 * sides without anyone reloading: the ticket filed opens its topic and appears on the open list;
 * the claim on the web is a line in the topic; the chair's answer in the topic is in the web
 * page's history; a note from the web is a line in the topic and marked internal on the web; an
 * answer from the web is a line in the topic (the chair's own message there needs none); the
 * chair's /resolve in the topic changes the web page's status and its forms, keeping a note the
 * steward had begun. The resident, on Telegram, gets
 * each answer and the resolution once, and never the note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { SentMessage } from '../fakes/telegram-bot-api/sent-log.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { axeViolations } from '../support/axe.js';
import { signInInChromium } from '../support/staff-chromium.js';
import { haveChromium, launchChromium, openPage } from '../support/browser.js';
import type { TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';
import { startForumInbox } from '../inbox/forum-inbox.js';
import { bindAccount, fileComplaint, type InboxPeople } from '../inbox/support.js';

const PHONE = { width: 390, height: 844 };
const textOf = (m: SentMessage) => m.text ?? m.caption ?? '';

describe.skipIf(!haveChromium).each(databaseTargets())('one ticket on /staff and in a Telegram forum topic at once (%s)', (target) => {
  let telegram: FakeTelegramBotApi;
  let forum: FakeChat;
  let t: TestApp;
  let people: InboxPeople;
  let browser: Browser;
  let base: string;
  const users = {} as Record<'resident' | 'chair', FakeUser>;
  const prisma = () => t.app.database.prisma;

  beforeAll(async () => {
    ({ telegram, forum, t, people } = await startForumInbox(target));
    const address = t.app.http.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    for (const name of ['resident', 'chair'] as const) users[name] = telegram.createUser({ language_code: 'zh-hans' });
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.resident.id), people.residentId);
    await bindAccount(prisma(), t.app.communityId, 'telegram', String(users.chair.id), people.chairId);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await telegram?.close();
  });

  const signIn = (page: Page, name: string, residentId: string) => signInInChromium(page, t.app, base, name, residentId);

  /** Marks the page; `stayed` is still true only if nothing reloaded or left it since. */
  const markStay = (page: Page) => page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const stayed = (page: Page) => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed === true);

  const inForum = () => telegram.sentTo(forum);
  const residentMessages = () => telegram.sentTo(users.resident).map(textOf);

  it('shows every step on both sides, and tells the resident once', async () => {
    const { page: web, errors } = await openPage(browser, PHONE);
    await signIn(web, '张网格', people.stewardId);
    await markStay(web);

    // Filed: the topic opens in the forum, and the card appears on the open list page.
    const ticket = await fileComplaint(t.app, people.residentId, '院里的垃圾三天没人清运了');
    const card = await waitFor(() => inForum().find((m) => textOf(m).includes(ticket.number) && m.threadId !== undefined), 'the card in its topic');
    const topicId = card.threadId!;
    expect(telegram.world.topic(forum.id, topicId)?.name).toBe(`${ticket.number}｜环境卫生`);
    const listed = web.locator('[data-card]', { hasText: ticket.number });
    await listed.waitFor();
    expect(await stayed(web)).toBe(true);
    expect(await web.locator('.inbox-card', { has: listed }).locator('.inbox-card-excerpt').textContent()).toContain('院里的垃圾三天没人清运了');
    const inTopic = () => inForum().filter((m) => m.threadId === topicId);

    // Claimed on the web: the topic gets the claim line.
    await listed.click();
    await web.waitForURL(`${base}/staff/tickets/${ticket.number}`);
    await web.locator('form[action$="/actions/claim"] button').click();
    await web.waitForURL(/done=claim/);
    const claimLine = await waitFor(() => inTopic().find((m) => textOf(m).includes('认领了此事项')), 'the claim line in the topic');
    expect(textOf(claimLine)).toContain('张网格');
    await expect.poll(() => web.locator('.inbox-ticket-header .inbox-status').textContent()).toBe('处理中');

    // Answered in the topic by the chair: the open ticket page shows it in its history.
    await markStay(web);
    const residentBefore = residentMessages().length;
    telegram.userSays(forum, users.chair, '您好，明天上午安排清运。', { threadId: topicId });
    const answer = web.locator('.inbox-timeline .inbox-event-staff_reply', { hasText: '明天上午安排清运' });
    await answer.waitFor();
    expect(await answer.locator('.inbox-event-who').textContent()).toBe('李主任');
    expect(await stayed(web)).toBe(true);
    await waitFor(() => residentMessages().slice(residentBefore).find((m) => m.includes('明天上午安排清运')), 'the answer at the resident');

    // A note from the web: a line in the topic, and internal on the web.
    await web.locator('form[action$="/actions/note"] textarea').fill('这户老人行动不便，上门前先电话');
    await web.locator('form[action$="/actions/note"] button').click();
    await web.waitForURL(/done=note/);
    const noteLine = await waitFor(() => inTopic().find((m) => textOf(m).includes('这户老人行动不便')), 'the note line in the topic');
    expect(textOf(noteLine)).toContain('内部备注（张网格');
    const note = web.locator('.inbox-timeline .inbox-event-internal', { hasText: '这户老人行动不便' });
    await note.waitFor();
    expect(await note.locator('.inbox-internal-label').textContent()).toBe('内部备注（居民看不到）');

    // Answered from the web: the topic shows it as a line (the chair's own answer needed none).
    await web.locator('form[action$="/actions/reply"] textarea').fill('师傅下午两点上门看看。');
    await web.locator('form[action$="/actions/reply"] button').click();
    await web.waitForURL(/done=reply/);
    const replyLine = await waitFor(() => inTopic().find((m) => textOf(m).includes('师傅下午两点上门看看')), 'the web answer in the topic');
    expect(textOf(replyLine)).toContain('张网格回复居民');
    expect(inTopic().some((m) => textOf(m).includes('李主任回复居民'))).toBe(false);
    await waitFor(() => residentMessages().slice(residentBefore).find((m) => m.includes('师傅下午两点上门看看')), 'the web answer at the resident');

    // Resolved in the topic: the open page's status changes, its forms follow (reopen instead of
    // resolve), a note half written and left there is kept, and the topic closes.
    await markStay(web);
    await web.locator('#inbox-note-text').fill('草稿：周五回访');
    await web.locator('#inbox-ticket-title').click();
    telegram.userSays(forum, users.chair, '/resolve 已清运完毕', { threadId: topicId });
    await expect.poll(() => web.locator('.inbox-ticket-header .inbox-status').textContent(), { timeout: 60_000 }).toBe('已办结');
    await web.locator('.inbox-timeline .inbox-event-resolved', { hasText: '已清运完毕' }).waitFor();
    await web.locator('form[action$="/actions/reopen"] button').waitFor();
    expect(await web.locator('form[action$="/actions/resolve"]').count()).toBe(0);
    expect(await web.locator('#inbox-note-text').inputValue()).toBe('草稿：周五回访');
    expect(await stayed(web)).toBe(true);
    await waitFor(() => (telegram.world.topic(forum.id, topicId)?.closed ? true : undefined), 'the topic to close');
    await waitFor(() => inTopic().find((m) => textOf(m).includes('已办结，说明已发给居民')), 'the resolution line in the topic');
    expect(await axeViolations(web)).toEqual([]);

    // The resident heard the answer and the resolution once each, and never the note.
    await whenQuiet(prisma());
    const heard = residentMessages().slice(residentBefore);
    expect(heard.filter((m) => m.includes('明天上午安排清运'))).toHaveLength(1);
    expect(heard.filter((m) => m.includes('已清运完毕'))).toHaveLength(1);
    expect(heard.filter((m) => m.includes('师傅下午两点上门看看'))).toHaveLength(1);
    expect(heard.some((m) => m.includes('行动不便'))).toBe(false);
    // One topic for the ticket; the lines stayed in it.
    expect(telegram.calls('createForumTopic')).toBe(1);
    expect(inForum().filter((m) => textOf(m).includes(ticket.number)).every((m) => m.threadId === topicId)).toBe(true);
    const row = await prisma().ticket.findUniqueOrThrow({ where: { id: ticket.ticketId } });
    expect(row).toMatchObject({ status: 'resolved', assigneeId: people.stewardId });
    expect(errors).toEqual([]);
  });
});

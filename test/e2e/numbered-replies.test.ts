/**
 * On WeChat (real wechaty with the mock puppet), which has no buttons, a notice's buttons are
 * numbered lines answered by the number, as a flow's choices are: a resolved ticket's rating
 * question shows "1. ⭐ 评价", and "1" starts the rating. A number answers the latest numbered list
 * the person saw: after a newer menu it picks from the menu; after a day it is the flow's again.
 * The list is the account's own: a neighbour's "1" is their own, and the notice's data pressed by
 * another account is refused as any button. The command the text names still works when typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mock } from 'wechaty-puppet-mock';
import { RecordingPuppetMock, watch, type ContactMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount, fileComplaint, seedInboxPeople, type InboxPeople } from '../inbox/support.js';
import { applyTicketAction } from '../../src/features/tickets/service/index.js';
import { ticketServiceOf } from '../../src/features/tickets/module.js';
import { NUMBERED_ACTIONS_EXPIRE_MS } from '../../src/notify/numbered-actions.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';

const RATE_LINE = '1. ⭐ 评价';
const ASK_STARS = '已办结';
const MENU = '请选择您要办理的事项';
const BUTTON_INVALID = '这个按钮已经失效了';

/** A person's private chat with the bot on WeChat: what they type, and what came back. */
class WeChatChat {
  private read = 0;
  private readonly seen: SeenMessage[];

  constructor(
    readonly contact: ContactMock,
    private readonly bot: ContactMock,
  ) {
    this.seen = watch(contact);
  }

  says(text: string, replies = 1): Promise<string[]> {
    this.contact.say(text).to(this.bot);
    return this.next(replies);
  }

  async next(count = 1): Promise<string[]> {
    const texts = await waitFor(() => {
      const all = this.fromBot();
      return all.length >= this.read + count ? all.slice(this.read, this.read + count) : undefined;
    }, `${count} WeChat message(s) to ${this.contact.id}`);
    this.read += count;
    return texts;
  }

  unread(): string[] {
    return this.fromBot().slice(this.read);
  }

  private fromBot(): string[] {
    return this.seen.filter((m) => m.payload.talkerId === this.bot.id).map((m) => m.payload.text ?? '');
  }
}

describe.each(databaseTargets())('numbered replies to a notice on WeChat on %s', (target) => {
  let t: TestApp;
  let people: InboxPeople;
  let resident: WeChatChat;
  let neighbour: WeChatChat;
  const accounts = { resident: '', neighbour: '' };
  const prisma = () => t.app.database.prisma;
  const ticket = (number: string) => prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });

  /** Files a complaint for the resident and resolves it as staff do; the resident gets the resolution and the rating question. */
  async function resolvedTicket(description: string): Promise<{ number: string; rate: string }> {
    const { ticketId, number } = await fileComplaint(t.app, people.residentId, description);
    const result = await prisma().$transaction((tx) =>
      applyTicketAction(tx, ticketServiceOf(t.app), {
        ticketId,
        communityId: t.app.communityId,
        action: { type: 'resolve', actor: { kind: 'staff', staffId: people.chairId }, at: new Date() },
        text: '已处理完毕',
      }),
    );
    if (!result.ok) throw new Error(`resolve refused: ${result.error}`);
    await t.app.outbox.dispatch(result.rows);
    const [resolved, rate] = await resident.next(2);
    expect(resolved).toContain(`【${number}】已办结`);
    return { number, rate: rate! };
  }

  beforeAll(async () => {
    const mocker = new mock.Mocker();
    const puppet = new RecordingPuppetMock({ mocker });
    t = await startTestApp(target, { ...TEST_PACING, FLOOD_MAX_MESSAGES: '1000' }, undefined, { serve: true, wechatPuppet: puppet });
    people = await seedInboxPeople(prisma(), t.app.communityId);
    const bot = mocker.createContact({ name: '邻里助手', avatar: '' });
    resident = new WeChatChat(mocker.createContact({ name: '王秀英', avatar: '' }), bot);
    neighbour = new WeChatChat(mocker.createContact({ name: '赵小明', avatar: '' }), bot);
    accounts.resident = await bindAccount(prisma(), t.app.communityId, 'wechat', resident.contact.id, people.residentId);
    accounts.neighbour = await bindAccount(prisma(), t.app.communityId, 'wechat', neighbour.contact.id, people.neighbourId);
    mocker.login(bot);
    const wechat = t.app.channels.get('wechat') as WeChatChannel;
    await waitFor(() => wechat.login.status().state === 'logged-in', 'the bot to log in');
    // Both have talked to the bot before: each rests at the menu, shown as numbered lines.
    expect((await resident.says('你好'))[0]).toContain(MENU);
    expect((await neighbour.says('你好'))[0]).toContain(MENU);
  }, 90_000);

  afterAll(() => t?.close());

  it('shows the rating question’s button as a numbered line, and "1" starts the rating', async () => {
    const { number, rate } = await resolvedTicket('楼道灯坏了好几天');
    expect(rate).toContain(`回复“评价 ${number}”`);
    expect(rate).toContain(`\n\n${RATE_LINE}\n\n请回复数字1–1选择`);
    // A number past the list gets the answer a flow gives, and the list again.
    const [outOfRange] = await resident.says('2');
    expect(outOfRange).toContain('没能识别您的选择');
    expect(outOfRange).toContain(RATE_LINE);
    const [stars] = await resident.says('１');
    expect(stars).toContain(`工单${number}${ASK_STARS}`);
    // The stars are now the latest numbered list: "4" is four stars, not the notice's.
    const [solved] = await resident.says('4');
    expect(solved).toContain('问题解决了吗');
    await resident.says('菜单');
    expect(await ticket(number)).toMatchObject({ rating: null });
  });

  it('a number after a newer menu picks from the menu', async () => {
    await resolvedTicket('垃圾桶满了没人清');
    const [menu] = await resident.says('菜单');
    expect(menu).toContain(MENU);
    const [kind] = await resident.says('1');
    expect(kind).toContain('您想反映的是');
    await resident.says('菜单');
  });

  it('a number a day after the notice is the flow’s again', async () => {
    await resolvedTicket('路口的井盖松了');
    // A day and a minute pass: the notice, and the menu shown before it, are that old now.
    const writtenAt = new Date(Date.now() - NUMBERED_ACTIONS_EXPIRE_MS - 60_000);
    await prisma().numberedActions.update({ where: { chatAccountId: accounts.resident }, data: { writtenAt } });
    await prisma().conversation.updateMany({ where: { chatAccountId: accounts.resident }, data: { numberedAt: new Date(writtenAt.getTime() - 60_000) } });
    const [kind] = await resident.says('1');
    expect(kind).toContain('您想反映的是');
    await resident.says('菜单');
  });

  it('is the account’s own: a neighbour’s "1" is theirs, and the notice’s data under another account is refused', async () => {
    const { number } = await resolvedTicket('单元门锁坏了');
    const [kind] = await neighbour.says('1');
    expect(kind).toContain('您想反映的是');
    await neighbour.says('菜单');
    // Even were the resident's list copied to the neighbour, its buttons are bound to the resident.
    const mine = await prisma().numberedActions.findUniqueOrThrow({ where: { chatAccountId: accounts.resident } });
    await prisma().numberedActions.create({
      data: { chatAccountId: accounts.neighbour, chatId: neighbour.contact.id, actions: mine.actions as object, writtenAt: new Date() },
    });
    const [refused] = await neighbour.says('1');
    expect(refused).toContain(BUTTON_INVALID);
    // The resident's own "1" still starts the rating.
    const [stars] = await resident.says('1');
    expect(stars).toContain(`工单${number}${ASK_STARS}`);
    await resident.says('菜单');
  });

  it('still takes the command the text names, typed', async () => {
    const { number } = await resolvedTicket('小区门口的路灯不亮');
    const [stars] = await resident.says(`评价 ${number}`);
    expect(stars).toContain(`工单${number}${ASK_STARS}`);
    await resident.says('菜单');
    await whenQuiet(prisma());
    expect(resident.unread()).toEqual([]);
    expect(neighbour.unread()).toEqual([]);
  });
});

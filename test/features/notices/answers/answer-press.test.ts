/**
 * Answering an alert in the web chat, through the whole app (the alert sent by the committee
 * member through the notices service, to every person): a household answers once — two
 * members pressing at the same instant leave one row, the second hears who answered and when; a
 * double tap records nothing new; "需要帮助" opens an urgent ticket for the household and says its
 * number and the emergency lines; a notice asking for confirmation takes its one 收到 the same
 * way; 需要帮助 after "safe" still opens the ticket. Someone whose household the alert does not address, a staff member with no household and
 * a visitor are answered politely and nothing is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../../src/channels/types.js';
import { button, startTestApp, WebPerson, type TestApp } from '../../../support/app.js';
import { noticeSending, sendAlert } from '../../../support/alerts.js';
import { databaseTargets } from '../../../support/database.js';
import { waitFor } from '../../../support/wait-for.js';
import { seedRollCallCommunity, type Person, type RollCallCommunity } from '../rollcall/roll-call-community.js';

describe.each(databaseTargets())('answering an alert on %s', (target) => {
  let t: TestApp;
  let c: RollCallCommunity;
  const prisma = () => t.app.database.prisma;
  const sending = noticeSending();
  const send = (draft: Parameters<typeof sendAlert>[3] = {}) => sendAlert(t.app, sending.service(), c.people.chair.residentId, draft);

  async function after(person: WebPerson, act: () => Promise<unknown>, replies = 1): Promise<OutboundMessage[]> {
    const before = (await person.received()).length;
    await act();
    return (await person.waitForMessages(before + replies)).slice(before);
  }
  /** The alert's message to `person`, once it arrived. */
  const alertOf = (person: Person, noticeId: string) =>
    waitFor(async () => (await person.web.received()).find((m) => m.choices?.some((choice) => choice.data.includes(noticeId))), 'the alert');

  beforeAll(async () => {
    t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000' }, undefined, { extraFeatures: [sending.feature] });
    c = await seedRollCallCommunity(t.app);
  }, 60_000);
  afterAll(() => t?.close());

  it('keeps one answer per household when two members press at once, and tells the second who answered', async () => {
    const alert = await send();
    const { zhao, zhaoWife, zhou } = c.people;
    const [his, hers] = [await alertOf(zhao, alert.noticeId), await alertOf(zhaoWife, alert.noticeId)];
    expect(his.choices?.map((choice) => choice.label)).toEqual(['✅收到/平安', '🆘需要帮助']);
    expect(his.text).toContain('停水停电紧急通知');

    const [mine, theirs] = await Promise.all([after(zhao.web, () => zhao.web.press(button(his, '收到'))), after(zhaoWife.web, () => zhaoWife.web.press(button(hers, '收到')))]);
    const replies = [mine[0]!.text, theirs[0]!.text].sort();
    expect(replies.filter((text) => text.includes('已收到您家的回复：平安'))).toHaveLength(1);
    const second = replies.find((text) => text.includes('您家已经回复过通知'))!;
    expect(second).toMatch(/(赵建国|刘秀英)于\d{4}-\d{2}-\d{2} \d{2}:\d{2}回复“收到\/平安”/);
    expect(await prisma().noticeAnswer.count({ where: { noticeId: alert.noticeId, householdId: c.households.A1.id } })).toBe(1);

    // A double tap: nothing new, and the presser hears it was already answered.
    const zhouAlert = await alertOf(zhou, alert.noticeId);
    const [first] = await after(zhou.web, () => zhou.web.press(button(zhouAlert, '收到')));
    expect(first!.text).toContain('已收到您家的回复');
    const [again] = await after(zhou.web, () => zhou.web.press(button(zhouAlert, '收到')));
    expect(again!.text).toContain('您家已经回复过通知');
    const answers = await prisma().noticeAnswer.findMany({ where: { noticeId: alert.noticeId } });
    expect(answers.map((a) => a.answer).sort()).toEqual(['ok', 'ok']);

    // Safe before, in need now: 需要帮助 still opens the ticket, and the answer becomes help (once).
    const [help] = await after(zhou.web, () => zhou.web.press(button(zhouAlert, '需要帮助')));
    expect(help!.text).toContain('已为您家登记求助');
    const helped = await prisma().noticeAnswer.findUniqueOrThrow({ where: { noticeId_householdId: { noticeId: alert.noticeId, householdId: c.households.A2.id } } });
    expect(helped.answer).toBe('help');
    expect(help!.text).toContain((await prisma().ticket.findUniqueOrThrow({ where: { id: helped.ticketId! } })).number);
    const [helpAgain] = await after(zhou.web, () => zhou.web.press(button(zhouAlert, '需要帮助')));
    expect(helpAgain!.text).toContain('回复“需要帮助”');
    expect(await prisma().ticket.count({ where: { householdId: c.households.A2.id } })).toBe(1);
  });

  it('opens an urgent ticket for "需要帮助" and tells its number and the emergency lines', async () => {
    const alert = await send({ title: '暴雨红色预警' });
    const { wu } = c.people;
    const mine = await alertOf(wu, alert.noticeId);
    expect(mine.text).toContain('暴雨红色预警');
    const [reply] = await after(wu.web, () => wu.web.press(button(mine, '需要帮助')));
    const answer = await prisma().noticeAnswer.findUniqueOrThrow({ where: { noticeId_householdId: { noticeId: alert.noticeId, householdId: c.households.A4.id } } });
    expect(answer.answer).toBe('help');
    const ticket = await prisma().ticket.findUniqueOrThrow({ where: { id: answer.ticketId! } });
    expect(ticket).toMatchObject({ householdId: c.households.A4.id, category: 'public_security', status: 'new' });
    expect(ticket.description).toContain(alert.number);
    expect(reply!.text).toContain(`工单号${ticket.number}`);
    expect(reply!.text).toContain('119');
    expect(reply!.text).toContain('120');
  });

  it('refuses politely a household the alert does not address, a staff member without a household and a visitor', async () => {
    const alert = await send({ audience: { areaIds: [c.laneB] } });
    const { zheng, zhou, stewardA } = c.people;
    const theirs = await alertOf(zheng, alert.noticeId);
    expect(theirs.text).toContain('停水停电');
    // Nobody in 团结巷 got it.
    expect((await zhou.web.received()).some((m) => m.choices?.some((choice) => choice.data.includes(alert.noticeId)))).toBe(false);

    const [outside] = await after(zhou.web, () => zhou.web.press(button(theirs, '收到')));
    expect(outside!.text).toContain(`通知${alert.number}不是发给您家的`);
    const [staff] = await after(stewardA.web, () => stewardA.web.press(button(theirs, '收到')));
    expect(staff!.text).toContain('您的账户没有关联住户');
    const visitor = new WebPerson(t.app);
    const [unbound] = await after(visitor, () => visitor.press(button(theirs, '收到')));
    expect(unbound!.text).toContain('请先绑定住户身份');
    const [forged] = await after(zhou.web, () => zhou.web.press(button(theirs, '收到').replace('|ok|', '|help|')));
    expect(forged!.text).toContain('这个按钮已经失效了');
    expect(await prisma().noticeAnswer.count({ where: { noticeId: alert.noticeId } })).toBe(0);
  });

  it('records a plain notice’s one 收到 the same way, once per household', async () => {
    const notice = await send({ kind: 'notice', title: '居民会议通知', body: '周六上午开会。', asksConfirmation: true });
    const { sun } = c.people;
    const message = await alertOf(sun, notice.noticeId);
    expect(message.choices?.map((choice) => choice.label)).toEqual(['✅收到']);
    const [thanks] = await after(sun.web, () => sun.web.press(button(message, '收到')));
    expect(thanks!.text).toContain(`已确认您家收到通知${notice.number}`);
    const answer = await prisma().noticeAnswer.findFirstOrThrow({ where: { noticeId: notice.noticeId } });
    expect(answer).toMatchObject({ householdId: c.households.B1.id, answer: 'confirmed', residentId: sun.residentId });
  });
});

/**
 * A resident's repair through the whole app over the web chat, on a fake clock (09:00 Beijing):
 * danger check, what is broken, description, a photo, the home, a home-time slot, the summary and
 * the BX number with the expected time; then the team's side (a stand-in for dispatch, moving the
 * work order as dispatch does): an offer declined, one timed out, one accepted, on the way, done —
 * each step told to the resident once; "not fixed" with words back to the same member; done again,
 * "fixed" and a rating; "我的报修" shows it confirmed. The emergency path: the numbers at once and
 * the job filed as an emergency. A neighbour cannot answer for someone else's repair.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { localYear } from '../../src/features/tickets/rules/local-time.js';
import { shownAt, startRepairClock, stopRepairClock, TZ } from '../features/repairs/support/repair-clock.js';
import { StandInDispatch } from '../features/repairs/support/stand-in-dispatch.js';

describe.each(databaseTargets())('a resident’s repair in the web chat on %s', (target) => {
  let t: TestApp;
  let start: Date;
  let resident: WebPerson;
  let neighbour: WebPerson;
  let team: StandInDispatch;
  const ids = { resident: '', neighbour: '', household: '', members: [] as string[] };
  const prisma = () => t.app.database.prisma;
  let number = '';
  let workOrderId = '';

  async function turn(person: WebPerson, send: () => Promise<unknown>, replies: number): Promise<OutboundMessage[]> {
    const before = (await person.received()).length;
    await send();
    return (await person.waitForMessages(before + replies)).slice(before);
  }
  const say = (person: WebPerson, text: string, replies = 1) => turn(person, () => person.say(text), replies);
  const press = (person: WebPerson, message: OutboundMessage | undefined, label: string, replies = 1) => turn(person, () => person.press(button(message, label)), replies);
  const told = (send: () => Promise<unknown>) => turn(resident, send, 1).then(([m]) => m!);

  beforeAll(async () => {
    start = startRepairClock();
    // The clock jumps hours ahead in the last test: no idle reminder in between.
    t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '1000', COMMUNITY_OFFICE_PHONE: '0991-1234567', IDLE_REMINDER_MINUTES: '1440', IDLE_CLOSE_MINUTES: '1440' });
    const communityId = t.app.communityId;
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 1 } });
    const home = await prisma().household.create({ data: { communityId, code: 'A-0101', address: '团结巷3号', areaId: lane.id } });
    const next = await prisma().household.create({ data: { communityId, code: 'A-0102', address: '团结巷5号', areaId: lane.id } });
    ids.household = home.id;
    ids.resident = (await prisma().resident.create({ data: { communityId, householdId: home.id, name: '王秀英' } })).id;
    ids.neighbour = (await prisma().resident.create({ data: { communityId, householdId: next.id, name: '赵小明' } })).id;
    for (const name of ['郑水暖', '冯电工', '陈师傅']) {
      const member = await prisma().resident.create({ data: { communityId, name } });
      await prisma().roleAssignment.create({ data: { communityId, residentId: member.id, role: 'service_team', skills: ['plumbing'], startsOn: new Date(start.getTime() - 86_400_000) } });
      ids.members.push(member.id);
    }
    resident = new WebPerson(t.app);
    neighbour = new WebPerson(t.app);
    const bind = (person: WebPerson, residentId: string) =>
      prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: person.sessionId, residentId, boundAt: start } });
    await bind(resident, ids.resident);
    await bind(neighbour, ids.neighbour);
    team = new StandInDispatch(prisma(), t.app.events, () => new Date(), t.app.outbox);
  }, 90_000);
  afterAll(async () => {
    await t?.close();
    stopRepairClock();
  });

  it('files a repair step by step and gets its BX number and the expected time, within the home-time slot', async () => {
    const [menu] = await say(resident, '你好');
    const [danger] = await press(resident, menu, '报修');
    expect(danger!.text).toBe('先确认安全：现在有没有下面这些危险情况？');
    expect(danger!.choices!.map((c) => c.label)).toEqual(['🔥 闻到燃气味', '⚡ 电线冒火花 / 有焦糊味', '🏚 房屋 / 墙体有倒塌危险', '都没有']);
    const [kind] = await press(resident, danger, '都没有');
    expect(kind!.text).toBe('哪里坏了？');
    const [description] = await press(resident, kind, '漏水');
    const [tooShort, again] = await say(resident, '漏水', 2);
    expect(tooShort!.text).toContain('至少输入5个字');
    expect(again!.text).toBe(description!.text);
    const [where] = await say(resident, '厨房水管接头一直在滴水');
    const [photo] = await press(resident, where, '就在家里');
    const [more] = await turn(resident, () => resident.send({ kind: 'photo', photo: { ref: 'web/leak-1.jpg' } }), 1);
    expect(more!.text).toContain('已收到1张照片');
    const [when] = await press(resident, more, '跳过');
    expect(when!.text).toBe('什么时候家里有人？师傅会在这个时间上门。');
    // 09:00: this morning's slot is still under way; then the rest of today and all of tomorrow.
    expect(when!.choices!.map((c) => c.label)).toEqual([
      '今天08:00–12:00',
      '今天12:00–18:00',
      '今天18:00–21:00',
      '明天08:00–12:00',
      '明天12:00–18:00',
      '明天18:00–21:00',
      '随时都有人',
    ]);
    expect(photo!.text).toContain('有照片吗');
    const [summary] = await press(resident, when, '今天12:00–18:00');
    expect(summary!.text).toContain('哪里坏了：漏水');
    expect(summary!.text).toContain('情况：厨房水管接头一直在滴水');
    expect(summary!.text).toContain('地点：家里（平房区/团结巷）');
    expect(summary!.text).toContain('照片：1张');
    expect(summary!.text).toContain(`在家时间：${shownAt(start, 0, 12).replace('12:00', '')}12:00–18:00`);
    const [done, backToMenu] = await press(resident, summary, '确认', 2);
    number = `BX-${localYear(start, TZ)}-00001`;
    // Ordinary: a day; someone is home from 12:00 to 18:00 today, so by 18:00. The stand-in team
    // has no chat the bot can reach, so dispatch finds nobody to offer it to at once and staff
    // arrange it by hand (the stand-in then plays the team's side).
    expect(done!.text).toBe(
      `已登记，报修单号${number}。现在暂时没有师傅能接单，已转给社区工作人员人工安排，预计${shownAt(start, 0, 18)}前上门。有进展会在这里告诉您。\n以后想查看，发送“我的报修”。`,
    );
    expect(backToMenu!.text).toContain('请选择您要办理的事项');
    const ticket = await prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number }, include: { workOrder: true } });
    expect(ticket).toMatchObject({ kind: 'repair', householdId: ids.household, reporterId: ids.resident, photos: ['web/leak-1.jpg'], status: 'new' });
    expect(ticket.workOrder).toMatchObject({ job: 'water_leak', skill: 'plumbing', emergency: false, priority: false, status: 'unassigned' });
    expect(ticket.workOrder!.homeWindows).toHaveLength(1);
    workOrderId = ticket.workOrder!.id;
  });

  it('hears each step: asked once through a decline and a timeout, taken by whom and when, on the way, done with the work and the fee', async () => {
    const [zheng, feng, chen] = ids.members as [string, string, string];
    expect((await told(() => team.offer(workOrderId, zheng))).text).toBe(`【${number}】正在联系师傅，接单后马上告诉您。`);
    await team.decline(workOrderId, zheng);
    await team.offer(workOrderId, feng);
    await team.expire(workOrderId, feng);
    await team.offer(workOrderId, chen);
    const accepted = await told(() => team.accept(workOrderId, chen));
    expect(accepted.text).toMatch(new RegExp(`^【${number}】陈师傅已接单（${shownAt(start, 0, 9).slice(0, -5)}09:\\d\\d），预计${shownAt(start, 0, 18)}前上门。$`));
    expect((await told(() => team.onTheWay(workOrderId, chen))).text).toBe(`【${number}】陈师傅已出发，正在上门的路上，请家里留人。`);
    const done = await told(() => team.done(workOrderId, chen, { workDone: '更换了水管接头', materials: [{ name: '水管接头', quantity: 1, costCents: 1250 }] }));
    expect(done.text).toContain(`【${number}】陈师傅已完工。\n做了什么：更换了水管接头\n用料：水管接头×1（¥12.50）\n费用：¥12.50`);
    expect(done.choices!.map((c) => c.label)).toEqual(['✅ 修好了', '❌ 没修好']);
    // Declines and the timeout told the resident nothing more.
    const messages = await resident.received();
    expect(messages.filter((m) => m.text.includes('正在联系师傅'))).toHaveLength(1);

    // A neighbour pressing the resident's button is refused; typing the number finds nothing.
    const [refused] = await turn(neighbour, () => neighbour.press(button(done, '修好了')), 1);
    expect(refused!.text).toContain('按钮');
    const [notFound] = await say(neighbour, `修好了 ${number}`, 2);
    expect(notFound!.text).toBe('在您的报修里没有找到这个编号。');
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: workOrderId } })).toMatchObject({ status: 'done' });
  });

  it('“not fixed” with words goes back to the same worker; done again, “fixed” and a rating', async () => {
    const done = (await resident.received()).at(-1);
    const [ask] = await press(resident, done, '没修好');
    expect(ask!.text).toBe(`抱歉！报修单${number}哪里还有问题？请说说具体情况，会原话转告陈师傅：`);
    const [sent, menu] = await say(resident, '接头还在滴水，地上都湿了', 2);
    expect(sent!.text).toBe(`已转告陈师傅，报修单${number}会由他再来处理，有进展会在这里告诉您。`);
    expect(menu!.text).toContain('请选择您要办理的事项');
    expect(await prisma().workOrder.findUniqueOrThrow({ where: { id: workOrderId } })).toMatchObject({ status: 'accepted', memberId: ids.members[2], returns: 1 });
    const words = await prisma().ticketEvent.findFirstOrThrow({ where: { ticket: { number }, kind: 'resident_message' } });
    expect(words.text).toBe('接头还在滴水，地上都湿了');

    const again = await told(() => team.done(workOrderId, ids.members[2]!, { workDone: '重新缠了生料带并紧固', feeCents: 0 }));
    expect(again.text).toContain('费用：免费');
    const [stars] = await press(resident, again, '修好了');
    expect(stars!.text).toBe(`谢谢确认！报修单${number}已完成。您对这次维修满意吗？`);
    const [comment] = await press(resident, stars, '非常满意');
    const [thanks] = await press(resident, comment, '不用了，提交', 2);
    expect(thanks!.text).toBe(`谢谢您的评价！报修单${number}的评价已记录。`);
    const ticket = await prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number }, include: { workOrder: true } });
    // Resolved when the work was done, reopened by "not fixed", resolved again: the rating is of the second resolution.
    expect(ticket).toMatchObject({ status: 'resolved', rating: 5, solved: true, resolutionCount: 2, ratedResolution: 2, reopenCount: 1, resolvedById: ids.members[2] });
    expect(ticket.workOrder).toMatchObject({ status: 'confirmed' });
  });

  it('“我的报修” lists it and shows its whole progress', async () => {
    const [list] = await say(resident, '我的报修');
    expect(list!.text).toContain('最新的1件，共1件');
    const [view] = await press(resident, list, number);
    expect(view!.text).toContain(`报修单${number}（漏水）`);
    expect(view!.text).toContain('状态：已确认完成');
    expect(view!.text).toContain('接单：陈师傅');
    expect(view!.text).toContain('没修好退回：1次');
    expect(view!.text).toContain('完工：');
    await say(resident, '菜单');
  });

  it('the emergency path: the numbers at once, a few words, filed as an emergency expected within 2 hours', async () => {
    const [danger] = await say(resident, '报修');
    const [numbers, describe] = await press(resident, danger, '闻到燃气味', 2);
    expect(numbers!.text).toContain('⚠️ 请先保证安全');
    // No gas line configured: fire first, then the rest.
    expect(numbers!.text).toContain('火警：119\n急救：120\n报警：110\n供电抢修：95598');
    expect(describe!.text).toContain('请用一句话说说是什么情况');
    const [filed, menu] = await say(resident, '厨房燃气表附近有很重的味道', 2);
    // Nobody on the stand-in team can be reached: staff arrange the emergency at once.
    expect(filed!.text).toMatch(/^已按紧急情况登记，报修单号BX-\d{4}-00002。现在没有师傅能马上接单，已转给社区工作人员紧急安排。/);
    expect(menu!.text).toContain('请选择您要办理的事项');
    const order = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { number: { endsWith: '-00002' } } } });
    expect(order).toMatchObject({ emergency: true, job: 'other', skill: null, homeWindows: [] });
    const expectedMs = order.expectedBy!.getTime() - order.createdAt.getTime();
    expect(expectedMs).toBe(2 * 3_600_000);
  });

  it('one answer changed at the summary; a home time that passed before confirming is asked again, never dropped', async () => {
    const [danger] = await say(resident, '报修');
    const [kind] = await press(resident, danger, '都没有');
    const [description] = await press(resident, kind, '门窗');
    const [where] = await say(resident, '卧室窗户关不严，漏风', 1);
    expect(description!.text).toContain('请说说具体情况');
    const [photo] = await press(resident, where, '就在家里');
    const [when] = await press(resident, photo, '跳过');
    const [summary] = await press(resident, when, '今天08:00–12:00');
    expect(summary!.text).toContain('哪里坏了：门窗');
    const [pick] = await press(resident, summary, '修改');
    const [kindAgain] = await press(resident, pick, '哪里坏了');
    const [summary2] = await press(resident, kindAgain, '墙面');
    expect(summary2!.text).toContain('哪里坏了：墙面地面');
    expect(summary2!.text).toContain('情况：卧室窗户关不严，漏风');

    // Three hours pass at the summary: this morning's slot has ended.
    vi.setSystemTime(new Date(start.getTime() + 3 * 3_600_000 + 60_000));
    const [passed, askedAgain] = await press(resident, summary2, '确认', 2);
    expect(passed!.text).toBe('您选的在家时间已经过去了，请重新选一个。');
    expect(askedAgain!.choices!.map((c) => c.label)[0]).toBe('今天12:00–18:00');
    expect(await prisma().ticket.count({ where: { communityId: t.app.communityId, description: '卧室窗户关不严，漏风' } })).toBe(0);
    const [summary3] = await press(resident, askedAgain, '今天12:00–18:00');
    const [done] = await press(resident, summary3, '确认', 2);
    // Ordinary: a day from 12:01; someone is home until 18:00 today.
    expect(done!.text).toContain(`预计${shownAt(start, 0, 18)}前上门`);
    const order = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { description: '卧室窗户关不严，漏风' } } });
    expect(order).toMatchObject({ job: 'masonry', skill: 'masonry' });
  });

  it('an open repair withdrawn from “我的报修” calls the job off; a neighbour’s number finds nothing', async () => {
    const [list] = await say(resident, '我的报修');
    expect(list!.text).toContain('共3件');
    const newest = list!.choices![0]!;
    // Nobody on the stand-in team can be reached: staff are arranging it.
    expect(newest.label).toContain('墙面地面 · 社区正在人工安排');
    const [view] = await turn(resident, () => resident.press(newest.data), 1);
    expect(view!.choices!.map((c) => c.label)).toEqual(['撤回报修', '返回报修列表', '回到主菜单']);
    const [confirm] = await press(resident, view, '撤回报修');
    expect(confirm!.text).toMatch(/^确定要撤回报修单BX-\d{4}-00003吗？/);
    const [withdrawn, menu] = await press(resident, confirm, '确认', 2);
    expect(withdrawn!.text).toMatch(/^报修单BX-\d{4}-00003已撤回，已通知服务队不用上门了。$/);
    expect(menu!.text).toContain('请选择您要办理的事项');
    const order = await prisma().workOrder.findFirstOrThrow({ where: { ticket: { description: '卧室窗户关不严，漏风' } }, include: { ticket: true } });
    expect(order).toMatchObject({ status: 'cancelled', ticket: { status: 'withdrawn' } });
    const [notFound] = await say(neighbour, `报修单 ${order.ticket.number}`);
    expect(notFound!.text).toBe('在您的报修里没有找到这个编号。');
  });

  it('a liaison reports for another household by its code; that household is told, and it is theirs to follow', async () => {
    const communityId = t.app.communityId;
    const liaisonId = (await prisma().resident.create({ data: { communityId, name: '民情联络员甲' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: liaisonId, role: 'liaison', startsOn: new Date(start.getTime() - 86_400_000) } });
    const liaison = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: liaison.sessionId, residentId: liaisonId, boundAt: start } });

    const [danger] = await say(liaison, '报修');
    const [forWhom] = await press(liaison, danger, '都没有');
    expect(forWhom!.text).toBe('这次报修是为谁登记的？');
    const [askCode] = await press(liaison, forWhom, '代其他住户报修');
    expect(askCode!.text).toContain('请输入这户的户号');
    const [found, kind] = await say(liaison, 'a-0102', 2);
    expect(found!.text).toBe('好的，为团结巷5号报修。');
    const [description] = await press(liaison, kind, '下水道');
    const [where] = await say(liaison, '院里下水道堵了，污水外溢');
    expect(description!.text).toContain('请说说具体情况');
    const [photo] = await press(liaison, where, '就在家里');
    const [when] = await press(liaison, photo, '跳过');
    const [summary] = await press(liaison, when, '随时都有人');
    expect(summary!.text).toContain('代为报修：团结巷5号');
    const before = (await neighbour.received()).length;
    const [done] = await press(liaison, summary, '确认', 2);
    const number = /报修单号(BX-\d{4}-\d{5})/.exec(done!.text)![1]!;
    const ticket = await prisma().ticket.findFirstOrThrow({ where: { communityId, number } });
    expect(ticket).toMatchObject({ reporterId: ids.neighbour, filedById: liaisonId });
    const [toldHousehold] = (await neighbour.waitForMessages(before + 1)).slice(before);
    expect(toldHousehold!.text).toContain(`民情联络员替您家登记了一件报修（水电道路），编号${number}`);
    const [list] = await say(neighbour, '我的报修');
    expect(list!.choices![0]!.label).toContain(number);
  });
});

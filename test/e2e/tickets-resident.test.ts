/**
 * The resident side of tickets through the whole app over the web chat: a bound resident files a
 * complaint step by step (with a photo) and gets its number and the expected answer time, lists
 * their tickets, adds information, withdraws another; staff resolve (through the ticket service,
 * as the inbox does) and the resident is told and asked to rate — once; reopening by a message
 * within 7 days, and the offer of a new ticket after; forged and stale buttons refused; and a
 * second resident who can neither see nor touch the first one's ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/channels/types.js';
import { applyTicketAction, fileTicket } from '../../src/features/tickets/service/index.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { ticketServiceOf } from '../../src/features/tickets/module.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

const DAY = 24 * 3_600_000;

describe.each(databaseTargets())('a resident’s tickets in the web chat on %s', (target) => {
  let t: TestApp;
  let zhang: WebPerson;
  let wang: WebPerson;
  const ids = { zhang: '', wang: '', steward: '', stewardAccount: '', household: '' };
  const prisma = () => t.app.database.prisma;
  let first = '';
  let second = '';

  /** Sends something and waits for `replies` messages caused by it. */
  async function turn(person: WebPerson, send: () => Promise<unknown>, replies: number): Promise<OutboundMessage[]> {
    const before = (await person.received()).length;
    await send();
    return (await person.waitForMessages(before + replies)).slice(before);
  }
  const say = (person: WebPerson, text: string, replies = 1) => turn(person, () => person.say(text), replies);
  const press = (person: WebPerson, message: OutboundMessage | undefined, label: string, replies = 1) => turn(person, () => person.press(button(message, label)), replies);
  const ticket = (number: string) => prisma().ticket.findFirstOrThrow({ where: { communityId: t.app.communityId, number } });

  /** Staff act through the ticket service, as the inbox does, and send what it wrote. */
  async function staffAct(number: string, type: 'resolve' | 'reply', text: string): Promise<void> {
    const row = await ticket(number);
    const result = await prisma().$transaction((tx) =>
      applyTicketAction(tx, ticketServiceOf(t.app), {
        ticketId: row.id,
        communityId: t.app.communityId,
        action: { type, actor: { kind: 'staff', staffId: ids.steward }, at: new Date() },
        text,
      }),
    );
    if (!result.ok) throw new Error(`staff ${type} refused: ${result.error}`);
    await t.app.outbox.dispatch(result.rows);
  }

  beforeAll(async () => {
    // One person types fast here: no slow-down notice in between.
    t = await startTestApp(target, { COMMUNITY_OFFICE_PHONE: '0991-1234567', FLOOD_MAX_MESSAGES: '1000' });
    const communityId = t.app.communityId;
    const area = async (name: string, path: string, depth: number, parentId: string | null) =>
      (await prisma().area.create({ data: { communityId, name, path, depth, parentId } })).id;
    const zone = await area('平房区', '平房区', 1, null);
    const lane = await area('团结巷', '平房区/团结巷', 2, zone);
    const court = await area('3号院', '平房区/团结巷/3号院', 3, lane);
    const h1 = await prisma().household.create({ data: { communityId, code: 'A-0101', address: '团结巷3号院1号', areaId: court } });
    const h2 = await prisma().household.create({ data: { communityId, code: 'A-0102', address: '团结巷3号院2号', areaId: court } });
    ids.household = h1.id;
    ids.zhang = (await prisma().resident.create({ data: { communityId, householdId: h1.id, name: '张三' } })).id;
    ids.wang = (await prisma().resident.create({ data: { communityId, householdId: h2.id, name: '王五' } })).id;
    ids.steward = (await prisma().resident.create({ data: { communityId, name: '钱包片' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: ids.steward, role: 'steward', areaId: lane, startsOn: new Date(Date.now() - DAY) } });
    zhang = new WebPerson(t.app);
    wang = new WebPerson(t.app);
    const bind = (person: WebPerson, residentId: string) =>
      prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: person.sessionId, residentId, boundAt: new Date() } });
    await bind(zhang, ids.zhang);
    await bind(wang, ids.wang);
    const stewardWeb = new WebPerson(t.app);
    ids.stewardAccount = (await bind(stewardWeb, ids.steward)).id;
  }, 60_000);
  afterAll(() => t?.close());

  it('files a complaint step by step, with a photo, and gets its number and the expected first answer', async () => {
    const [menu] = await say(zhang, '你好');
    const [kind] = await press(zhang, menu, '投诉或建议');
    expect(kind!.text).toContain('您想反映的是');
    const [category] = await press(zhang, kind, '投诉');
    expect(category!.choices!.map((c) => c.label)).toEqual(['环境卫生', '水电道路', '治安', '邻里纠纷', '物业收费', '助老助残', '其他']);
    const [description] = await press(zhang, category, '环境卫生');
    expect(description!.text).toContain('请说说具体情况');
    const [tooShort, askedAgain] = await say(zhang, '脏', 2);
    expect(askedAgain!.text).toContain('请说说具体情况');
    expect(tooShort!.text).toContain('至少输入5个字');
    const [where] = await say(zhang, '院里的垃圾三天没人清运了');
    expect(where!.text).toContain('在哪里');
    const [photo] = await press(zhang, where, '就在家附近');
    expect(photo!.text).toContain('有照片吗');
    const [more] = await turn(zhang, () => zhang.send({ kind: 'photo', photo: { ref: 'web/rubbish-1.jpg' } }), 1);
    expect(more!.text).toContain('已收到1张照片');
    const [anonymous] = await press(zhang, more, '跳过');
    const [summary] = await press(zhang, anonymous, '隐去我的姓名');
    expect(summary!.text).toContain('类型：投诉');
    expect(summary!.text).toContain('类别：环境卫生');
    expect(summary!.text).toContain('内容：院里的垃圾三天没人清运了');
    expect(summary!.text).toContain('地点：家附近（平房区/团结巷/3号院）');
    expect(summary!.text).toContain('照片：1张');
    expect(summary!.text).toContain('对其他居民隐去姓名：是');
    // Anonymous: the words never go to the open data feed, so that is not asked.
    expect(summary!.text).not.toContain('公开数据');
    // Change one answer: only that question again, then the summary.
    const [pick] = await press(zhang, summary, '修改');
    const [kindAgain] = await press(zhang, pick, '类型');
    const [summary2] = await press(zhang, kindAgain, '建议');
    expect(summary2!.text).toContain('类型：建议');
    expect(summary2!.text).toContain('照片：1张');
    const [done, backToMenu] = await press(zhang, summary2, '确认', 2);
    const year = new Date().getFullYear();
    first = `MQ-${year}-00001`;
    expect(done!.text).toContain(`已登记，工单编号${first}，状态：待受理`);
    expect(done!.text).toMatch(/社区会在1天内（最晚\d+月\d+日\d\d:\d\d）给您答复/);
    expect(done!.text).toContain(`发送“工单 ${first}”`);
    expect(backToMenu!.text).toContain('请选择您要办理的事项');

    const row = await ticket(first);
    expect(row).toMatchObject({ kind: 'suggestion', category: 'environment_sanitation', anonymous: true, photos: ['web/rubbish-1.jpg'], householdId: ids.household, assigneeId: ids.steward, status: 'new' });
    // The steward's own chat got a note about it (sent once the outbox sweep or dispatch picks it up).
    const note = await prisma().outboxMessage.findFirst({ where: { chatAccountId: ids.stewardAccount, refs: { some: { subjectKind: 'ticket', subjectId: row.id } } } });
    expect((note!.payload as { text: string }).text).toContain(`新工单${first}`);
  });

  it('lists the tickets, opens one and adds information', async () => {
    const [list] = await say(zhang, '我的工单');
    expect(list!.text).toContain('最新的1件，共1件');
    const [view] = await press(zhang, list, first);
    expect(view!.text).toContain(`工单${first}（建议 · 环境卫生）`);
    expect(view!.text).toContain('状态：待受理');
    expect(view!.text).toContain('您：登记：院里的垃圾三天没人清运了（1张照片）');
    const [ask] = await press(zhang, view, '补充说明');
    const [added, again] = await say(zhang, '今天又多了几袋', 2);
    expect(added!.text).toBe('已转给工作人员。');
    expect(again!.text).toContain('您：今天又多了几袋');
    expect(ask!.text).toContain('请输入要补充的内容');
    const events = await prisma().ticketEvent.findMany({ where: { ticketId: (await ticket(first)).id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['filed', 'resident_message']);
    await say(zhang, '菜单');
  });

  it('withdraws another ticket, asked to confirm first; a message to it then gets a clear answer', async () => {
    const actor = (await loadActor(prisma(), { residentId: ids.zhang }))!;
    second = (
      await prisma().$transaction((tx) =>
        fileTicket(tx, ticketServiceOf(t.app), { communityId: t.app.communityId, actor, kind: 'complaint', category: 'other', description: '小区门口停车太乱', filerAnsweredInChat: true }),
      )
    ).number;
    const [view] = await say(zhang, `工单 ${second.toLowerCase()}`);
    expect(view!.text).toContain(`工单${second}`);
    const [confirm] = await press(zhang, view, '撤回工单');
    expect(confirm!.text).toContain(`确定要撤回工单${second}吗`);
    const [withdrawn] = await press(zhang, confirm, '确认', 2);
    expect(withdrawn!.text).toBe(`工单${second}已撤回。`);
    expect((await ticket(second)).status).toBe('withdrawn');
    const [after] = await say(zhang, `工单 ${second}`);
    expect(after!.text).toContain('这张工单已撤回');
    expect(after!.choices!.map((c) => c.label)).toEqual(['重新登记一件', '返回工单列表', '回到主菜单']);
    await say(zhang, '菜单');
  });

  let starsButton = '';
  it('a resolution reaches the resident with one rating question; the rating is taken once', async () => {
    const before = (await zhang.received()).length;
    await staffAct(first, 'resolve', '已联系环卫清运完毕');
    const [resolved, rate] = (await zhang.waitForMessages(before + 2)).slice(before);
    expect(resolved!.text).toContain(`【${first}】已办结：\n已联系环卫清运完毕`);
    expect(rate!.text).toContain(`回复“评价 ${first}”`);
    // The question carries a button that starts the rating; nobody else can use it.
    const rateButton = button(rate, '评价');
    const [notYours] = await turn(wang, () => wang.press(rateButton), 1);
    expect(notYours!.text).toContain('按钮');

    const [stars] = await turn(zhang, () => zhang.press(rateButton), 1);
    expect(stars!.text).toContain(`工单${first}已办结`);
    starsButton = button(stars, '非常满意');
    // A forged button (tag changed) is refused and changes nothing.
    const forged = `${starsButton.slice(0, -2)}${starsButton.endsWith('AA') ? 'BB' : 'AA'}`;
    const [refused] = await turn(zhang, () => zhang.press(forged), 1);
    expect(refused!.text).toContain('按钮');
    const [solved] = await turn(zhang, () => zhang.press(starsButton), 1);
    expect(solved!.text).toContain('问题解决了吗');
    const [wanted] = await press(zhang, solved, '解决了');
    const [comment] = await press(zhang, wanted, '写一句评价');
    expect(comment!.text).toContain('请输入您的评价');
    const [thanks] = await say(zhang, '清运很及时，谢谢', 2);
    expect(thanks!.text).toContain(`工单${first}的评价已记录`);
    expect(await ticket(first)).toMatchObject({ rating: 5, solved: true, ratedResolution: 1 });

    // The star button again (an old question): refused, the rating stays.
    const [stale] = await turn(zhang, () => zhang.press(starsButton), 1);
    expect(stale!.text).toContain('按钮');
    const [once] = await say(zhang, `评价 ${first}`, 2);
    expect(once!.text).toBe('这次办理您已经评价过了，谢谢！');
    expect(await prisma().ticketEvent.count({ where: { ticketId: (await ticket(first)).id, kind: 'rated' } })).toBe(1);
  });

  it('a message within 7 days of the resolution reopens the ticket', async () => {
    const [view] = await say(zhang, `工单 ${first}`);
    expect(view!.text).toContain('状态：已办结');
    expect(view!.text).toContain('包片干部：已办结。已联系环卫清运完毕');
    await press(zhang, view, '问题没解决');
    const [reopened, again] = await say(zhang, '今天又堆满了', 2);
    expect(reopened!.text).toContain(`工单${first}已重新打开，状态：处理中`);
    expect(again!.text).toContain('状态：处理中');
    expect(await ticket(first)).toMatchObject({ status: 'in_progress', reopenCount: 1, resolvedAt: null });
    await say(zhang, '菜单');
  });

  it('after 7 days a message is not taken: a new ticket is offered instead', async () => {
    const before = (await zhang.received()).length;
    await staffAct(first, 'resolve', '已加派清运车次');
    await zhang.waitForMessages(before + 2); // the resolution and its own rating question
    const [view] = await say(zhang, `工单 ${first}`);
    expect(view!.choices!.map((c) => c.label)).toContain('问题没解决，补充说明');
    // Eight days pass (the resolution moved back in the database, not by sleeping).
    await prisma().ticket.update({ where: { id: (await ticket(first)).id }, data: { resolvedAt: new Date(Date.now() - 8 * DAY) } });
    await press(zhang, view, '问题没解决');
    const [offer] = await say(zhang, '还是没解决');
    expect(offer!.text).toContain(`工单${first}已办结超过7天，不能再重新打开`);
    expect(offer!.choices!.map((c) => c.label)).toEqual(['重新登记一件', '回到主菜单']);
    expect((await ticket(first)).status).toBe('resolved');
    const [viewed] = await say(zhang, '菜单').then(() => say(zhang, `工单 ${first}`));
    expect(viewed!.text).toContain('这张工单已过了可以补充的期限');
    const [newOne] = await press(zhang, viewed, '重新登记一件');
    expect(newOne!.text).toContain('您想反映的是');
    await say(zhang, '菜单');
  });

  it('a second resident can neither see nor touch the first one’s ticket', async () => {
    const [notFound, askNumber] = await say(wang, `工单 ${first}`, 2);
    expect(notFound!.text).toBe('在您的工单里没有找到这个编号。');
    expect(askNumber!.text).toContain('请输入工单编号');
    const [none] = await say(wang, '我的工单');
    expect(none!.text).toBe('您还没有工单。要登记一件吗？');
    const [rate] = await say(wang, `评价 ${first}`, 2);
    expect(rate!.text).toBe('在您的工单里没有找到这个编号。');
    // Zhang's own list button, pressed from Wang's chat: not valid there.
    const [list] = await say(zhang, '我的工单');
    const [refused] = await turn(wang, () => wang.press(button(list, first)), 1);
    expect(refused!.text).toContain('按钮');
    const events = await prisma().ticketEvent.findMany({ where: { ticketId: (await ticket(first)).id, actorId: ids.wang } });
    expect(events).toEqual([]);
  });

  it('a liaison files on behalf of a household by its code; the household is told and sees it', async () => {
    const communityId = t.app.communityId;
    const liaisonId = (await prisma().resident.create({ data: { communityId, name: '民情联络员甲' } })).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: liaisonId, role: 'liaison', startsOn: new Date(Date.now() - DAY) } });
    const liaison = new WebPerson(t.app);
    await prisma().chatAccount.create({ data: { communityId, channel: 'web', externalId: liaison.sessionId, residentId: liaisonId, boundAt: new Date() } });

    const [menu] = await say(liaison, '你好');
    const [forWhom] = await press(liaison, menu, '投诉或建议');
    expect(forWhom!.text).toBe('这件事是为谁登记的？');
    const [askCode] = await press(liaison, forWhom, '代其他住户登记');
    const [unknown] = await say(liaison, 'Z-9999', 2);
    expect(unknown!.text).toContain('没有找到您可以代为登记的这一户');
    expect(askCode!.text).toContain('请输入这户的户号');
    const [found, kind] = await say(liaison, 'a-0102', 2);
    expect(found!.text).toBe('好的，为团结巷3号院2号登记。');
    const [category] = await press(liaison, kind, '投诉');
    const [description] = await press(liaison, category, '助老助残');
    const [where] = await say(liaison, '王大爷家的暖气不热，老人行动不便');
    const [photo] = await press(liaison, where, '就在家附近');
    const [anonymous] = await press(liaison, photo, '跳过');
    const [publish] = await press(liaison, anonymous, '不用隐去');
    const [summary] = await press(liaison, publish, '不公开内容');
    expect(summary!.text).toContain('代为登记：团结巷3号院2号');
    expect(summary!.text).toContain('地点：家附近');
    expect(description!.text).toContain('请说说具体情况');
    const [done] = await press(liaison, summary, '确认', 2);
    const number = /工单编号(MQ-\d{4}-\d{5})/.exec(done!.text)![1]!;

    const row = await ticket(number);
    expect(row).toMatchObject({ householdId: (await prisma().household.findFirstOrThrow({ where: { communityId, code: 'A-0102' } })).id, reporterId: ids.wang, filedById: liaisonId });
    const audit = await prisma().auditLog.findMany({ where: { subjectId: row.id } });
    expect(audit.map((a) => a.action)).toEqual(['ticket.file_on_behalf']);
    const wangAccount = await prisma().chatAccount.findFirstOrThrow({ where: { externalId: wang.sessionId } });
    const told = await prisma().outboxMessage.findFirstOrThrow({ where: { chatAccountId: wangAccount.id, refs: { some: { subjectKind: 'ticket', subjectId: row.id } } } });
    expect((told.payload as { text: string }).text).toContain(`民情联络员替您家登记了一件投诉（助老助残），编号${number}`);
    // The household's notice goes out at once (after the liaison's commit): let it arrive before
    // the household's own turn, so the turn's replies are the ones read.
    await waitFor(async () => (await wang.received()).some((m) => m.text.includes(number)), 'the ticket number at Wang');
    const [list] = await say(wang, '我的工单');
    const [view] = await press(wang, list, number);
    expect(view!.text).toContain('民情联络员：登记：王大爷家的暖气不热');
  });
});

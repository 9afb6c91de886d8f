/**
 * Sending notices end to end over Telegram (real telegraf against the fake Bot API), WeChat (real
 * wechaty with the mock puppet) and the web chat, on a fake clock:
 * - chats are bound in the chats themselves: a Telegram group to the lane by a committee member
 *   (told the bot hears only what is addressed to it there), a WeChat room to a household group
 *   by that group's head — who is refused, and audited, for another group's room;
 * - a committee member's notice to the lane, composed in their Telegram chat, previewed with its
 *   counts and confirmed with the button, reaches each household once (not the second member of a
 *   household, nobody of another lane) and each bound chat once, while the sender's ONE status
 *   message is edited with the progress and ends in the report;
 * - a head's notice goes to their own group only; naming another group or pressing the Send button
 *   of someone else's draft is refused and audited;
 * - a notice confirmed at 23:00 is held, the sender told until when, and goes out at 07:00 by its
 *   delayed job;
 * - a notice sent from the web chat whose message Telegram refuses ends in a report with one retry
 *   button, which sends it again.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileBox } from 'file-box';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renamedProgram, sampleDocx, samplePdf } from '../support/documents.js';
import { mock } from 'wechaty-puppet-mock';
import { FakeTelegramBotApi } from '../fakes/telegram-bot-api/index.js';
import type { FakeChat, FakeUser } from '../fakes/telegram-bot-api/world.js';
import { createRoom, deliverFile, RecordingPuppetMock, watch, type ContactMock, type RoomMock, type SeenMessage } from '../channels/wechat/wechat-harness.js';
import { TEST_PACING } from '../inbox/forum-inbox.js';
import { bindAccount } from '../inbox/support.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { textOf } from '../support/private-chats.js';
import { waitFor } from '../support/wait-for.js';
import type { WeChatChannel } from '../../src/channels/wechat/wechat-channel.js';
import { localDateTime, localParts } from '../../src/features/tickets/rules/local-time.js';
import { jobIds } from '../../src/queue/jobs.js';
import { QueueNames } from '../../src/queue/names.js';

const TZ = 'Asia/Shanghai';

describe.each(databaseTargets())('sending notices over Telegram, WeChat and the web chat on %s', (target) => {
  let t: TestApp;
  let telegram: FakeTelegramBotApi;
  let mocker: mock.Mocker;
  let wxBot: ContactMock;
  let day: { year: number; month: number; day: number };
  const prisma = () => t.app.database.prisma;
  // People: the committee member (Telegram and web), household A-01's two members (Telegram; WeChat),
  // A-02's (web), the head of group G1 (A-03; Telegram and WeChat), and B-01's in the other lane (Telegram).
  let chair: FakeUser;
  let chairWeb: WebPerson;
  let zhang: FakeUser;
  let zhangWei: ContactMock;
  let liu: WebPerson;
  let head: FakeUser;
  let headWx: ContactMock;
  let zhao: FakeUser;
  let laneGroup: FakeChat;
  let groupRoom: RoomMock;
  let otherRoom: RoomMock;
  let roomSeen: SeenMessage[];
  let zhangWeiSeen: SeenMessage[];
  let headWxSeen: SeenMessage[];

  const localAt = (hour: number, minute = 0, plusDays = 0) => localDateTime(day.year, day.month, day.day + plusDays, hour, minute, TZ);
  const botTexts = (seen: SeenMessage[]) => seen.filter((m) => m.payload.talkerId === wxBot.id).map((m) => m.payload.text ?? '');
  const tgTexts = (chat: { id: number }) => telegram.sentTo(chat.id).map(textOf);
  const tgWaitFor = (chat: { id: number }, part: string, since = 0) =>
    waitFor(() => telegram.sentTo(chat.id).slice(since).find((m) => textOf(m).includes(part)), `"${part}" on Telegram`);
  const denials = (action: string) => prisma().auditLog.count({ where: { action, details: { path: ['denied'], equals: true } } });
  const mention = (text: string) => `@邻里助手\u2005${text}`;
  /** The name of the file a mock WeChat message carries, if it carries one. */
  const botFileName = (messageId: string) => (mocker.cacheFileBoxPayload.get(messageId) as { name?: string } | undefined)?.name;

  beforeAll(async () => {
    const real = localParts(new Date(), TZ);
    day = { year: real.year, month: real.month, day: real.day + 1 };
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(localDateTime(day.year, day.month, day.day, 10, 0, TZ));
    telegram = await FakeTelegramBotApi.start({ scale: 50 });
    mocker = new mock.Mocker();
    t = await startTestApp(
      target,
      { ...TEST_PACING, TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, FLOOD_MAX_MESSAGES: '1000' },
      undefined,
      { serve: true, wechatPuppet: new RecordingPuppetMock({ mocker }) },
    );
    wxBot = mocker.createContact({ name: '邻里助手', avatar: '' });
    mocker.login(wxBot);
    await waitFor(() => ((t.app.channels.get('wechat') as WeChatChannel).login.status().state === 'logged-in' ? true : undefined), 'the bot to log in');
    const communityId = t.app.communityId;
    await prisma().community.update({ where: { id: communityId }, data: { timezone: TZ } });

    const zone = await prisma().area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
    const lane = await prisma().area.create({ data: { communityId, name: '团结巷', path: '平房区/团结巷', depth: 2, parentId: zone.id } });
    const court = await prisma().area.create({ data: { communityId, name: '3号院', path: '平房区/团结巷/3号院', depth: 3, parentId: lane.id } });
    const other = await prisma().area.create({ data: { communityId, name: '胜利巷', path: '平房区/胜利巷', depth: 2, parentId: zone.id } });
    const g1 = await prisma().householdGroup.create({ data: { communityId, code: 'G1' } });
    const g2 = await prisma().householdGroup.create({ data: { communityId, code: 'G2' } });
    const household = (code: string, areaId: string, groupId: string) => prisma().household.create({ data: { communityId, code, address: `${code}号`, areaId, groupId } });
    const a1 = await household('A-01', court.id, g1.id);
    const a2 = await household('A-02', court.id, g1.id);
    const a3 = await household('A-03', lane.id, g1.id);
    const b1 = await household('B-01', other.id, g2.id);
    const resident = (householdId: string | null, name: string, position = 0) => prisma().resident.create({ data: { communityId, householdId, name, position } });
    const chairId = (await resident(null, '陈主任')).id;
    await prisma().roleAssignment.create({ data: { communityId, residentId: chairId, role: 'committee', startsOn: new Date(Date.now() - 86_400_000) } });
    const zhangId = (await resident(a1.id, '张秀兰', 0)).id;
    const zhangWeiId = (await resident(a1.id, '张伟', 1)).id;
    const liuId = (await resident(a2.id, '刘桂英')).id;
    const headId = (await resident(a3.id, '王建华')).id;
    const zhaoId = (await resident(b1.id, '赵玉芬')).id;
    await prisma().householdGroup.update({ where: { id: g1.id }, data: { headId } });
    await prisma().householdGroup.update({ where: { id: g2.id }, data: { headId: zhaoId } });

    chair = telegram.createUser({ language_code: 'zh-hans' });
    chairWeb = new WebPerson(t.app);
    zhang = telegram.createUser({ language_code: 'zh-hans' });
    head = telegram.createUser({ language_code: 'zh-hans' });
    zhao = telegram.createUser({ language_code: 'zh-hans' });
    liu = new WebPerson(t.app);
    zhangWei = mocker.createContact({ name: '张伟', avatar: '' });
    headWx = mocker.createContact({ name: '王建华', avatar: '' });
    zhangWeiSeen = watch(zhangWei);
    headWxSeen = watch(headWx);
    await bindAccount(prisma(), communityId, 'telegram', String(chair.id), chairId);
    await bindAccount(prisma(), communityId, 'web', chairWeb.sessionId, chairId);
    await bindAccount(prisma(), communityId, 'telegram', String(zhang.id), zhangId);
    await bindAccount(prisma(), communityId, 'wechat', zhangWei.id, zhangWeiId);
    await bindAccount(prisma(), communityId, 'web', liu.sessionId, liuId);
    await bindAccount(prisma(), communityId, 'telegram', String(head.id), headId);
    await bindAccount(prisma(), communityId, 'wechat', headWx.id, headId);
    await bindAccount(prisma(), communityId, 'telegram', String(zhao.id), zhaoId);

    laneGroup = telegram.createGroup({ title: '团结巷居民群', type: 'supergroup' });
    groupRoom = createRoom(mocker, '一组十户群', [wxBot, headWx, zhangWei]);
    otherRoom = createRoom(mocker, '二组十户群', [wxBot, headWx]);
    roomSeen = watch(groupRoom);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await telegram?.close();
    vi.useRealTimers();
  });

  it('binds a Telegram group to the lane (saying what the bot hears there) and a WeChat room to a household group by its head, not another group', async () => {
    telegram.userSays(laneGroup, chair, '/bind_group area 平房区/团结巷');
    await tgWaitFor(laneGroup, '本群已绑定为');
    await tgWaitFor(laneGroup, '只能看到发给我的命令');

    // A group whose admins took the bot's right to post: the binder hears it privately.
    const mutedGroup = telegram.createGroup({ title: '胜利巷居民群', type: 'supergroup' });
    telegram.muteBotIn(mutedGroup.id);
    const chairSeen = telegram.sentTo(chair.id).length;
    telegram.userSays(mutedGroup, chair, '/bind_group area 平房区/胜利巷');
    await tgWaitFor(chair, '没有发言权限', chairSeen);

    headWx.say(mention('/bind_group household_group G1'), [wxBot]).to(groupRoom);
    await waitFor(() => botTexts(roomSeen).find((text) => text.includes('本群已绑定为')), 'the room bound');
    // WeChat's rooms hear everything addressed to the bot by a mention: nothing more to say there.
    expect(botTexts(roomSeen).some((text) => text.includes('只能看到发给我的命令'))).toBe(false);

    const before = await denials('chat.bind');
    const otherSeen = watch(otherRoom);
    headWx.say(mention('/bind_group household_group G2'), [wxBot]).to(otherRoom);
    await waitFor(() => botTexts(otherSeen)[0], 'the refusal');
    expect(await denials('chat.bind')).toBe(before + 1);
    expect(await prisma().boundChat.count({ where: { chatId: otherRoom.id } })).toBe(0);
  });

  it("sends the committee's lane notice once per household and bound chat, editing one status message into the report", async () => {
    telegram.userSays(chair, chair, '/notice area 团结巷 停水通知\n明天9点到12点停水，请提前储水。');
    const preview = await tgWaitFor(chair, '（草稿）');
    // A-01 (once, though two members have accounts), A-02 and A-03; the lane's group and G1's room.
    expect(textOf(preview)).toContain('将发给3个私聊（3户）和2个群');
    const send = preview.keyboard!.flat().find((b) => b.text.includes('发送'))!;
    const sentBefore = telegram.sentTo(chair.id).length;
    telegram.userPresses(chair, chair, preview.messageId, send.callback_data!);

    await tgWaitFor(zhang, '停水通知');
    await waitFor(async () => (await liu.received()).find((m) => m.text.includes('停水通知')), 'the web chat copy');
    await tgWaitFor(laneGroup, '停水通知');
    await waitFor(() => botTexts(roomSeen).find((text) => text.includes('停水通知')), 'the room copy');
    // The head's household gets one private copy, on one of his channels.
    await waitFor(() => tgTexts(head).some((x) => x.includes('停水通知')) || botTexts(headWxSeen).some((x) => x.includes('停水通知')), "the head's copy");

    // The status message: written once, edited until the report.
    const final = await waitFor(
      () => telegram.sentTo(chair.id).slice(sentBefore).find((m) => m.method === 'editMessageText' && textOf(m).includes('发送完毕')),
      'the report in the edited status message',
    );
    expect(textOf(final)).toContain('已送达5 / 5');
    const status = telegram.sentTo(chair.id).slice(sentBefore).filter((m) => m.method === 'sendMessage');
    expect(status).toHaveLength(1);
    expect(textOf(status[0]!)).toContain('发送中');
    expect(final.messageId).toBe(status[0]!.messageId);

    // Nobody twice, nobody of the other lane, not the household's second member.
    expect(tgTexts(zhang).filter((x) => x.includes('停水通知'))).toHaveLength(1);
    expect(tgTexts(laneGroup).filter((x) => x.includes('停水通知'))).toHaveLength(1);
    expect(botTexts(roomSeen).filter((x) => x.includes('停水通知'))).toHaveLength(1);
    expect(tgTexts(zhao).some((x) => x.includes('停水通知'))).toBe(false);
    expect(botTexts(zhangWeiSeen).some((x) => x.includes('停水通知'))).toBe(false);
  });

  it('sends a photo with its caption as the notice, each person in their language', async () => {
    await prisma().chatAccount.updateMany({ where: { channel: 'web', externalId: liu.sessionId }, data: { locale: 'en' } });
    const seen = telegram.sentTo(chair.id).length;
    telegram.userSendsPhoto(chair, chair, { caption: '/notice area 团结巷 公告栏更新\n新的公告栏已经装好。\n/en Notice board\nThe new notice board is up.' });
    const preview = await tgWaitFor(chair, '（草稿）', seen);
    telegram.userPresses(chair, chair, preview.messageId, preview.keyboard!.flat().find((b) => b.text.includes('发送'))!.callback_data!);
    const photo = await waitFor(() => telegram.sentTo(zhang.id).find((m) => m.method === 'sendPhoto' && textOf(m).includes('公告栏更新')), 'the photo on Telegram');
    expect(textOf(photo)).toContain('新的公告栏已经装好。');
    const english = await waitFor(async () => (await liu.received()).find((m) => m.text.includes('Notice board')), 'the English version on the web');
    expect(english.text).toContain('The new notice board is up.');
    expect(english.photo?.ref).toBeTruthy();
  });

  it('sends a file sent with /notice as its caption: a document on Telegram, a file on WeChat, a download on the web', async () => {
    const pdf = samplePdf('Fees 2027');
    const seen = telegram.sentTo(chair.id).length;
    telegram.userSendsDocument(chair, chair, { bytes: pdf, name: '物业费标准.pdf', mime: 'application/pdf', caption: '/notice area 团结巷 物业费标准\n新一年的物业费标准见附件。' });
    const preview = await tgWaitFor(chair, '（草稿）', seen);
    expect(textOf(preview)).toContain('附件：物业费标准.pdf');
    telegram.userPresses(chair, chair, preview.messageId, preview.keyboard!.flat().find((b) => b.text.includes('发送'))!.callback_data!);

    const document = await waitFor(() => telegram.sentTo(zhang.id).find((m) => m.method === 'sendDocument' && textOf(m).includes('物业费标准')), 'the document on Telegram');
    expect(document.document).toMatchObject({ name: '物业费标准.pdf', bytes: pdf.length });
    expect(document.document!.content).toEqual(pdf);
    await waitFor(() => telegram.sentTo(laneGroup.id).find((m) => m.method === 'sendDocument' && m.document?.name === '物业费标准.pdf'), 'the document in the lane group');
    const web = await waitFor(async () => (await liu.received()).find((m) => m.document?.name === '物业费标准.pdf'), 'the file on the web');
    expect(await readFile(join(t.app.config.DATA_DIR, web.document!.ref))).toEqual(pdf);
    // The WeChat room gets the file as a file, then the text.
    const file = await waitFor(() => roomSeen.find((m) => m.payload.talkerId === wxBot.id && mocker.cacheFileBoxPayload.has(m.id) && botFileName(m.id) === '物业费标准.pdf'), 'the file in the WeChat room');
    expect(file).toBeDefined();
    const notice = await prisma().notice.findFirstOrThrow({ where: { title: '物业费标准' } });
    expect(notice.attachment).toMatchObject({ name: '物业费标准.pdf', mime: 'application/pdf', bytes: pdf.length });
  });

  it('on WeChat takes a file sent after /notice onto the draft, and says why another is refused', async () => {
    headWx.say('/notice 会议材料\n请先看附件里的议程。').to(wxBot);
    const preview = await waitFor(() => botTexts(headWxSeen).find((text) => text.includes('会议材料') && text.includes('草稿')), 'the preview on WeChat');
    expect(preview).toContain('要附文件');
    const number = /TZ-\d{4}-\d{5}/.exec(preview)![0];
    deliverFile(mocker, headWx, wxBot, FileBox.fromBase64(renamedProgram().toString('base64'), '议程.pdf'));
    await waitFor(() => botTexts(headWxSeen).find((text) => text.includes('不是PDF')), 'the refusal of a file that is not one');
    const docx = sampleDocx('议程：一、停车；二、绿化。');
    deliverFile(mocker, headWx, wxBot, FileBox.fromBase64(docx.toString('base64'), '议程.docx'));
    const attached = await waitFor(() => botTexts(headWxSeen).find((text) => text.includes('已把“议程.docx”附到通知')), 'the file attached');
    expect(attached).toContain(number);
    headWx.say(`/send_notice ${number}`).to(wxBot);
    await waitFor(() => roomSeen.find((m) => m.payload.talkerId === wxBot.id && botFileName(m.id) === '议程.docx'), 'the file in the group room');
    const document = await waitFor(() => telegram.sentTo(zhang.id).find((m) => m.method === 'sendDocument' && m.document?.name === '议程.docx'), 'the file on Telegram');
    expect(document.document!.content).toEqual(docx);
    expect(await prisma().auditLog.count({ where: { action: 'notice.attach' } })).toBeGreaterThan(0);
  });

  it('/help lists the notices commands each person may use, with where: all of them for the committee, a head their own group, a resident none', async () => {
    const seen = telegram.sentTo(chair.id).length;
    telegram.userSays(chair, chair, '/help');
    const chairHelp = await tgWaitFor(chair, '通知与应急', seen);
    for (const command of ['/notice 对象 标题', '/alert', '/rollcall', '/bind_group 用途']) expect(textOf(chairHelp)).toContain(command);

    const headSeen = botTexts(headWxSeen).length;
    headWx.say('/help').to(wxBot);
    const headHelp = await waitFor(() => botTexts(headWxSeen).slice(headSeen).find((text) => text.includes('通知与应急')), "the head's help");
    expect(headHelp).toContain('给您的联户组发通知');
    expect(headHelp).toContain('/bind_group household_group');
    expect(headHelp).not.toContain('/rollcall');
    expect(headHelp).not.toContain('/alert');

    const residentSeen = telegram.sentTo(zhang.id).length;
    telegram.userSays(zhang, zhang, '/help');
    await tgWaitFor(zhang, '我是邻里社区助手', residentSeen);
    // A second message in the same chat is handled after the first is done: its answer shows
    // everything /help wrote came before it — the usual help, and nothing about sending notices.
    const firstDone = telegram.sentTo(zhang.id).length;
    telegram.userSays(zhang, zhang, '帮助');
    await tgWaitFor(zhang, '我是邻里社区助手', firstDone);
    expect(tgTexts(zhang).slice(residentSeen).join('\n')).not.toContain('通知与应急');
  });

  it("keeps a head to their own group: another group's code and someone else's Send button are refused and audited", async () => {
    const refusedBefore = await denials('notice.send_group');
    const seen = telegram.sentTo(head.id).length;
    telegram.userSays(head, head, '/notice group G2 明天开会\n晚上7点在活动室');
    await tgWaitFor(head, '', seen);
    expect(tgTexts(head).slice(seen).join('\n')).not.toContain('草稿');
    expect(await denials('notice.send_group')).toBe(refusedBefore + 1);

    // The committee's draft to everyone; its Send button pressed in the head's own chat.
    const chairSeen = telegram.sentTo(chair.id).length;
    telegram.userSays(chair, chair, '/notice all 全体通知\n周六打扫卫生。');
    const draft = await tgWaitFor(chair, '（草稿）', chairSeen);
    const data = draft.keyboard!.flat().find((b) => b.text.includes('发送'))!.callback_data!;
    const allBefore = await denials('notice.send_all');
    const headSeen = telegram.sentTo(head.id).length;
    const headMessage = telegram.sentTo(head.id).at(-1)!;
    telegram.userPresses(head, head, headMessage.messageId, data);
    await tgWaitFor(head, '', headSeen);
    expect(await denials('notice.send_all')).toBe(allBefore + 1);
    expect((await prisma().notice.findFirstOrThrow({ where: { title: '全体通知' } })).status).toBe('draft');

    // Their own group: the notice goes to G1's room and households, not the lane's group.
    const ownSeen = telegram.sentTo(head.id).length;
    telegram.userSays(head, head, '/notice 明天开会\n晚上7点在活动室。');
    const own = await tgWaitFor(head, '（草稿）', ownSeen);
    expect(textOf(own)).toContain('和1个群');
    telegram.userPresses(head, head, own.messageId, own.keyboard!.flat().find((b) => b.text.includes('发送'))!.callback_data!);
    await waitFor(() => botTexts(roomSeen).find((text) => text.includes('明天开会')), 'the group notice in its room');
    await tgWaitFor(zhang, '明天开会');
    expect(tgTexts(laneGroup).some((x) => x.includes('明天开会'))).toBe(false);
  });

  it('holds a notice confirmed at 23:00 and sends it at 07:00, telling the sender when (WeChat: typed, no buttons)', async () => {
    vi.setSystemTime(localAt(23, 0));
    headWx.say('/notice 夜间通知\n明早7点后集合。').to(wxBot);
    const preview = await waitFor(() => botTexts(headWxSeen).find((text) => text.includes('夜间通知') && text.includes('草稿')), 'the preview on WeChat');
    const number = /TZ-\d{4}-\d{5}/.exec(preview)![0];
    headWx.say(`/send_notice ${number}`).to(wxBot);
    const held = await waitFor(() => botTexts(headWxSeen).find((text) => text.includes('免打扰')), 'the held answer');
    expect(held).toContain('07:00');
    const notice = await prisma().notice.findFirstOrThrow({ where: { number } });
    expect(notice.status).toBe('held');
    expect(tgTexts(zhang).some((x) => x.includes('夜间通知'))).toBe(false);

    vi.setSystemTime(localAt(7, 0, 1));
    const job = await waitFor(() => t.app.queues.queue(QueueNames.noticeSends).getJob(jobIds['notice-sends']({ noticeId: notice.id, sendAt: notice.sendAt!.getTime() })), 'the held notice’s job');
    await job.promote().catch(() => undefined);
    await tgWaitFor(zhang, '夜间通知');
    await waitFor(() => botTexts(roomSeen).find((text) => text.includes('夜间通知')), 'the room copy');
    // WeChat cannot edit: the report comes as a message of its own.
    await waitFor(() => botTexts(headWxSeen).find((text) => text.includes(number) && text.includes('发送完毕')), 'the report on WeChat');
  });

  it('reports a message Telegram refused and sends it again with the retry button (web chat sender, status replaced in place)', async () => {
    telegram.inject({ methods: ['sendMessage'], chatId: zhang.id, times: 1, action: { type: 'error', errorCode: 400, description: 'Bad Request: message text is empty' } });
    await chairWeb.say('/notice area 团结巷 燃气检修\n下午2点燃气检修。');
    const preview = await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes('（草稿）')), 'the preview on the web');
    await chairWeb.press(preview.choices!.find((c) => c.label.includes('发送'))!.data);
    const report = await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes('发送完毕')), 'the report on the web');
    expect(report.text).toContain('平台拒收');
    // The status message was replaced, not added to: no "sending" line is left in the page's history.
    expect((await chairWeb.received()).some((m) => m.text.includes('发送中'))).toBe(false);
    const retry = report.choices!.find((c) => c.label.includes('重试'))!;
    await chairWeb.press(retry.data);
    await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes('已重新发送1条')), 'the retry answer');
    await tgWaitFor(zhang, '燃气检修');
    // The report follows the retried message: replaced by one with nothing failed.
    const total = /已送达\d+ \/ (\d+)/.exec(report.text)![1]!;
    await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes(`发送完毕：已送达${total} / ${total}`)), 'the report after the retry');
    expect((await chairWeb.received()).filter((m) => m.text.includes('平台拒收'))).toHaveLength(0);
    // Asked again by its number, the report answers the same; a head may not read it.
    const number = /TZ-\d{4}-\d{5}/.exec(report.text)![0];
    const before = (await chairWeb.received()).length;
    await chairWeb.say(`/notice_report ${number}`);
    await waitFor(async () => (await chairWeb.received()).slice(before).find((m) => m.text.includes(`发送完毕：已送达${total} / ${total}`)), 'the report asked for');
    const headSeen = telegram.sentTo(head.id).length;
    telegram.userSays(head, head, `/notice_report ${number}`);
    await tgWaitFor(head, '', headSeen);
    expect(tgTexts(head).slice(headSeen).join('\n')).not.toContain('发送完毕');
  });
  it('schedules a notice for a time typed on its own line, and its job sends it then', async () => {
    vi.setSystemTime(localAt(9, 0, 1));
    await chairWeb.say('/notice area 团结巷 定时通知\n/at 18:00\n今晚6点在活动室开会。');
    const preview = await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes('定时通知') && m.text.includes('（草稿）')), 'the preview');
    await chairWeb.press(preview.choices!.find((c) => c.label.includes('发送'))!.data);
    const answer = await waitFor(async () => (await chairWeb.received()).find((m) => m.text.includes('⏰')), 'the scheduled answer');
    expect(answer.text).toContain('18:00');
    const notice = await prisma().notice.findFirstOrThrow({ where: { title: '定时通知' } });
    expect(notice).toMatchObject({ status: 'scheduled', sendAt: localAt(18, 0, 1) });
    vi.setSystemTime(localAt(18, 0, 1));
    const job = await waitFor(() => t.app.queues.queue(QueueNames.noticeSends).getJob(jobIds['notice-sends']({ noticeId: notice.id, sendAt: notice.sendAt!.getTime() })), 'the scheduled job');
    await job.promote().catch(() => undefined);
    await tgWaitFor(zhang, '定时通知');
  });
});

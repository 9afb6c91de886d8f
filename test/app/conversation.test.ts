/**
 * The whole path a message takes — router, engine, database, outbox, delivery queue, web chat
 * store — on each database backend (and BullMQ on Redis when TEST_REDIS_URL is set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/database.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { whenQuiet } from '../support/quiet.js';

describe.each(databaseTargets())('conversations on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  it('greets a newcomer in Chinese with the menu as buttons', async () => {
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('你好');
    expect(menu!.text).toContain('请选择您要办理的事项');
    expect(menu!.choices?.map((c) => c.label)).toEqual([
      '📝 投诉或建议',
      '🔧 报修',
      '📋 我的工单',
      '📢 通知公告',
      '🗓 会议',
      '👤 我的账户',
      '🌐 语言 / Language',
      '❓ 帮助',
    ]);
  });

  it('opens the notices for a newcomer (none yet), then shows the menu again', async () => {
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('/start');
    const replies = await person.pressAndWait(button(menu, '通知公告'), 2);
    expect(replies[0]!.text).toContain('现在还没有给您的通知');
    expect(replies[1]!.choices?.length).toBe(8);
  });

  it('switches to English and remembers it; pressing the same final button twice runs the effect once', async () => {
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('菜单');
    const [languages] = await person.pressAndWait(button(menu, 'Language'));
    const english = button(languages, 'English');
    const [done, englishMenu] = await person.pressAndWait(english, 2);
    expect(done!.text).toBe('OK, I will talk to you in English from now on.');
    expect(englishMenu!.text).toContain('What would you like to do');

    const [refused] = await person.pressAndWait(english);
    expect(refused!.text).toContain('no longer valid');

    const runs = await t.app.database.prisma.flowRun.findMany({
      where: { conversation: { chatId: person.sessionId }, flowId: 'language' },
    });
    expect(runs).toHaveLength(1);
    const effects = await t.app.database.prisma.flowEffect.count({ where: { flowRunId: runs[0]!.id, name: 'set_language' } });
    expect(effects).toBe(1);
  });

  it('handles a re-delivered message once', async () => {
    const person = new WebPerson(t.app);
    expect(await person.say('你好', 'same-id-1')).toBe('handled');
    expect(await person.say('你好', 'same-id-1')).toBe('duplicate');
    await person.waitForMessages(1);
    await whenQuiet(t.app.database.prisma);
    expect(await person.received()).toHaveLength(1);
  });

  it('refuses a forged button politely and changes nothing', async () => {
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('你好');
    const genuine = button(menu, '通知公告');
    const forged = genuine.replace(/\|[^|]+$/, '|AAAAAAAAAAAAAA');
    const [refused] = await person.pressAndWait(forged);
    expect(refused!.text).toContain('按钮已经失效');
    const replies = await person.pressAndWait(genuine, 2);
    expect(replies[0]!.text).toContain('现在还没有给您的通知');
  });

  it('does not let one person press another person’s button', async () => {
    const alice = new WebPerson(t.app);
    const bob = new WebPerson(t.app);
    const [aliceMenu] = await alice.ask('你好');
    await bob.ask('你好');
    const [refused] = await bob.pressAndWait(button(aliceMenu, '通知公告'));
    expect(refused!.text).toContain('按钮已经失效');
    expect(await alice.received()).toHaveLength(1);
  });

  it('handles one conversation’s messages in the order they arrived', async () => {
    const person = new WebPerson(t.app);
    await person.ask('你好');
    const ids = Array.from({ length: 8 }, (_, i) => `order-${person.sessionId}-${i}`);
    await Promise.all(ids.map((id, i) => person.say(i % 2 === 0 ? '帮助' : '菜单', id)));
    const rows = await t.app.database.prisma.inboundMessage.findMany({
      where: { externalId: { in: ids } },
      orderBy: { handledAt: 'asc' },
    });
    expect(rows.map((r) => r.externalId)).toEqual(ids);
    // "帮助" answers with the help text and the menu again, "菜单" with the menu alone.
    const replies = await person.waitForMessages(1 + 4 * 2 + 4);
    const kinds = replies.slice(1).map((m) => (m.choices ? 'menu' : 'help'));
    expect(kinds).toEqual(['help', 'menu', 'menu', 'help', 'menu', 'menu', 'help', 'menu', 'menu', 'help', 'menu', 'menu']);
  });

  it('answers a sticker or a voice message with a polite request for text, keeping the conversation’s place', async () => {
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('你好');
    await person.send({ kind: 'unsupported', unsupportedType: 'sticker' });
    // The reason, then the question again.
    const replies = await person.waitForMessages(3);
    expect(replies[1]!.text).toContain('只能看懂文字和照片');
    expect(replies[2]!.text).toBe(menu!.text);
    // The place in the conversation is kept: the menu's buttons still work.
    const after = await person.pressAndWait(button(menu, '通知公告'), 2);
    expect(after[0]!.text).toContain('现在还没有给您的通知');
  });
});

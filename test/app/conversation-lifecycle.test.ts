/**
 * What happens around a conversation: idle reminders and closing by scheduled jobs, a restart in
 * the middle of a flow, a person who floods, text that is too long.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../support/database.js';
import { button, startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { QueueNames } from '../../src/queue/names.js';
import { whenQuiet } from '../support/quiet.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseTargets())('conversation lifecycle on %s', (target) => {
  const running: TestApp[] = [];
  afterEach(async () => {
    for (const t of running.splice(0)) await t.close();
  });
  afterAll(async () => {
    for (const t of running.splice(0)) await t.close();
  });

  it('reminds an idle person, then closes the conversation, by scheduled jobs', async () => {
    // 0.01 minutes = 600 ms each.
    const t = await startTestApp(target, { IDLE_REMINDER_MINUTES: '0.01', IDLE_CLOSE_MINUTES: '0.01' });
    running.push(t);
    const person = new WebPerson(t.app);
    const [menu] = await person.ask('你好');
    const [languages] = await person.pressAndWait(button(menu, 'Language'));

    const all = await person.waitForMessages(2 + 3);
    const [reminder, question, closed] = all.slice(2);
    expect(reminder!.text).toContain('您还在吗');
    expect(question!.text).toBe(languages!.text);
    expect(closed!.text).toContain('本次对话已结束');

    const conversation = await t.app.database.prisma.conversation.findFirstOrThrow({ where: { chatId: person.sessionId } });
    expect(conversation.flowRunId).toBeNull();
    const run = await t.app.database.prisma.flowRun.findFirstOrThrow({
      where: { conversationId: conversation.id, flowId: 'language' },
    });
    expect(run.status).toBe('timed_out');

    // The old buttons no longer act; a new message starts afresh with the menu.
    const [refused] = await person.pressAndWait(button(languages, 'English'));
    expect(refused!.text).toContain('按钮已经失效');
    const [fresh] = await person.ask('你好');
    expect(fresh!.choices?.length).toBe(8);
  });

  it('sends no reminder to someone resting at the menu, and none once the person has answered', async () => {
    const t = await startTestApp(target, { IDLE_REMINDER_MINUTES: '0.01', IDLE_CLOSE_MINUTES: '0.01' });
    running.push(t);
    const person = new WebPerson(t.app);
    await person.ask('你好');
    // No idle timer left to fire (one set by mistake would run within a second and be waited
    // for), and nothing left to send: no reminder can come.
    const timers = t.app.queues.queue(QueueNames.conversationTimeouts);
    await waitFor(async () => Object.values(await timers.getJobCounts('active', 'waiting', 'delayed', 'prioritized')).every((n) => n === 0), 'no idle timer left');
    await whenQuiet(t.app.database.prisma);
    expect(await person.received()).toHaveLength(1);

    const conversation = await t.app.database.prisma.conversation.findFirstOrThrow({ where: { chatId: person.sessionId } });
    // A timer set at an earlier version finds the conversation moved on and does nothing.
    expect(await t.app.conversations.handleIdle(conversation.id, conversation.version - 1, 1)).toBe('stale');
    expect(await person.received()).toHaveLength(1);
  });

  it('keeps a conversation where it was across a restart', async () => {
    const first = await startTestApp(target);
    const person = new WebPerson(first.app);
    const [menu] = await person.ask('你好');
    const [languages] = await person.pressAndWait(button(menu, 'Language'));
    await first.close({ keepDatabase: true });

    const second = await startTestApp(target, {}, first.db);
    running.push(second);
    const restarted = new WebPerson(second.app);
    Object.assign(restarted, { sessionId: person.sessionId });
    const [done] = await restarted.pressAndWait(button(languages, 'English'), 2);
    expect(done!.text).toBe('OK, I will talk to you in English from now on.');
  });

  it('slows a person who floods: told once, every message handled in order, none dropped', async () => {
    const t = await startTestApp(target, { FLOOD_MAX_MESSAGES: '3', FLOOD_WINDOW_SECONDS: '1' });
    running.push(t);
    const person = new WebPerson(t.app);
    const ids = Array.from({ length: 8 }, (_, i) => `flood-${person.sessionId}-${i}`);
    const startedAt = Date.now();
    const outcomes = await Promise.all(ids.map((id) => person.say('菜单', id)));
    expect(outcomes).toEqual(ids.map(() => 'handled'));
    // 8 messages at 3 per second: the last ones wait about two windows.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_500);

    const rows = await t.app.database.prisma.inboundMessage.findMany({
      where: { externalId: { in: ids } },
      orderBy: { handledAt: 'asc' },
    });
    expect(rows.map((r) => r.externalId)).toEqual(ids);
    const all = await person.waitForMessages(8 + 1);
    expect(all.filter((m) => m.text.includes('发送得太快'))).toHaveLength(1);
    expect(all.filter((m) => m.choices?.length === 8)).toHaveLength(8);
  });

  it('answers text that is too long with the reason, in the person’s language', async () => {
    const t = await startTestApp(target);
    running.push(t);
    const person = new WebPerson(t.app);
    await person.ask('你好');
    const replies = await person.ask('长'.repeat(2001), 2);
    expect(replies[0]!.text).toContain('这条消息太长了');
    expect(replies[0]!.text).toContain('2001');
  });
});

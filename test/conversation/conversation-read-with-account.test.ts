/**
 * A turn takes its conversation as it was read with the person's account, in the same round
 * trip as finding who wrote. If that read is stale by the time the turn is saved (another
 * process answered in between), the version guard refuses the save and the turn runs again on a
 * fresh read: nothing is lost, nothing is written over. The rest of the app is real.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAccount } from '../../src/conversation/inbound-records.js';
import { sqlRunnerFor } from '../../src/db/sql.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';

describe.each(databaseTargets())('the conversation read with the account, on %s', (target) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  const conversationOf = (someone: WebPerson) =>
    t.app.database.prisma.conversation.findFirstOrThrow({ where: { channel: 'web', chatId: someone.sessionId } });

  it('runs a turn again on a fresh read when the one read with the account went stale, answering every message', async () => {
    const someone = new WebPerson(t.app);
    expect(await someone.say('菜单')).toBe('handled');
    const answered = (await someone.waitForMessages(1)).length;
    const account = await findAccount(sqlRunnerFor(t.app.database.prisma), { communityId: t.app.communityId, channel: 'web', externalId: someone.sessionId }, someone.sessionId);
    const stale = account!.conversation!;
    expect(stale.version).toBe((await conversationOf(someone)).version);

    // Another process answers the person meanwhile.
    expect(await someone.say('菜单')).toBe('handled');
    const between = await conversationOf(someone);
    expect(between.version).toBe(stale.version + 1);
    const afterSecond = (await someone.waitForMessages(answered + 1)).length;

    // This process's turn still holds the read from before that answer.
    const speaker = { chatAccountId: account!.id, locale: account!.locale, residentId: account!.residentId, conversation: stale };
    await t.app.conversations.handleMessage(speaker, someone.message('菜单'));
    const after = await conversationOf(someone);
    expect(after.version).toBe(between.version + 1);
    expect(after.stepId).toBe(between.stepId);
    expect((await someone.waitForMessages(afterSecond + 1)).length).toBeGreaterThan(afterSecond);
    // Taken once: a turn run again does not fall back on it.
    expect(speaker).not.toHaveProperty('conversation');
  });
});

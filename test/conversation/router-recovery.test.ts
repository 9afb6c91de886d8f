/**
 * Nothing accepted is lost: a message a crash left `received` (recorded, its turn never
 * committed) is handled when it is delivered again and by the sweep — once, however many
 * processes take it up — and a message a live process is working on is a duplicate. The rest of
 * the app is real (database, queues, outbox, web chat).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/types.js';
import { recordInbound } from '../../src/conversation/inbound-records.js';
import { Router } from '../../src/conversation/router.js';
import { sqlRunnerFor } from '../../src/db/sql.js';
import { createLogger } from '../../src/log/logger.js';
import { FloodLimiter } from '../../src/util/flood-limiter.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseTargets())('taking up messages a crash left behind, on %s', (target) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(target);
  });
  afterAll(() => t?.close());

  /** What a process that died mid-turn left: the message recorded and claimed, nothing else. */
  const strand = async (message: InboundMessage, claimSeconds = 20, claimedAgoMs = 60_000) => {
    const from = Date.now() - claimedAgoMs;
    const fields = { communityId: t.app.communityId, channel: message.channel, externalId: message.externalId, kind: message.kind, receivedAt: message.receivedAt };
    const claimed = await recordInbound(sqlRunnerFor(t.app.database.prisma), fields, message, { now: new Date(from), until: new Date(from + claimSeconds * 1000) });
    return claimed!.id;
  };
  const statusOf = async (id: string) => (await t.app.database.prisma.inboundMessage.findUniqueOrThrow({ where: { id } })).status;
  /** Another process on the same database. */
  const secondRouter = () =>
    new Router({
      prisma: t.app.database.prisma,
      communityId: t.app.communityId,
      defaultLocale: 'zh-CN',
      translator: t.app.translator,
      flood: new FloodLimiter(1_000, 1_000),
      handler: t.app.conversations,
      outbox: t.app.outbox,
      logger: createLogger('silent'),
    });
  /** The greeting every '你好' gets. */
  const greetings = async (person: WebPerson) => (await person.received()).filter((m) => m.text.includes('您好')).length;

  it('handles a re-delivery of a message left unhandled, once', async () => {
    const person = new WebPerson(t.app);
    const message = person.message('你好');
    const id = await strand(message);

    expect(await t.app.router.route({ ...message, receivedAt: new Date() })).toBe('handled');
    await person.waitForMessages(1);
    expect(await statusOf(id)).toBe('handled');
    // Handled now: one more re-delivery changes nothing.
    expect(await t.app.router.route({ ...message, receivedAt: new Date() })).toBe('duplicate');
    expect(await greetings(person)).toBe(1);
  });

  it('leaves a message to the live process working on it', async () => {
    const person = new WebPerson(t.app);
    const message = person.message('你好');
    const id = await strand(message, 3_600, 0);
    expect(await t.app.router.route(message)).toBe('duplicate');
    expect(await statusOf(id)).toBe('received');
  });

  it('sweeps stranded messages into their chats in order, each handled once by two processes sweeping at once', async () => {
    const person = new WebPerson(t.app);
    const at = Date.now() - 120_000;
    const menu = { ...person.message('你好'), receivedAt: new Date(at) };
    const help = { ...person.message('帮助'), receivedAt: new Date(at + 1) };
    const ids = [await strand(help), await strand(menu)];
    const other = secondRouter();

    // Both believe they are alone and take every stranded message: the turn's guard decides.
    const [mine, theirs] = await Promise.all([t.app.router.takeUpStranded({ ignoreClaims: true }), other.takeUpStranded({ ignoreClaims: true })]);
    expect(mine + theirs).toBeGreaterThanOrEqual(2);
    await waitFor(async () => (await Promise.all(ids.map(statusOf))).every((status) => status === 'handled'), 'both messages handled');
    await other.drain();

    // What the turns wrote (the replies are written in the turn that settles the message).
    const replies = await t.app.database.prisma.outboxMessage.findMany({ where: { chatId: person.sessionId }, orderBy: { seq: 'asc' } });
    const texts = replies.map((row) => (row.payload as { text: string }).text);
    // Each answered once, the older first: the greeting; then the help, which ends at the menu.
    expect(texts).toHaveLength(3);
    expect(texts[0]).toContain('您好');
    expect(texts[1]).toContain('帮助');
    expect(texts[2]).toContain('您好');
  });
});

/**
 * A turn whose transaction rolled back for load (no connection in time, a deadlock) is run again
 * before anyone is told something went wrong; a turn that failed for any other reason is not, and
 * the person gets the apology. The rest of the app is real (web chat, database, queue, outbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/types.js';
import type { Speaker } from '../../src/conversation/conversation-service.js';
import type { InboundReceipt } from '../../src/conversation/inbound-records.js';
import { Router, type MessageHandler } from '../../src/conversation/router.js';
import { createLogger } from '../../src/log/logger.js';
import { FloodLimiter } from '../../src/util/flood-limiter.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { whenQuiet } from '../support/quiet.js';

/** What Prisma throws when a transaction could not start in time. */
const noConnectionInTime = () => Object.assign(new Error('Transaction API error: Unable to start a transaction in the given time.'), { code: 'P2028' });

describe.each(databaseTargets())('running a turn again after a rollback under load, on %s', (target) => {
  let t: TestApp;
  let failures: (() => Error)[] = [];
  let calls = 0;
  /** The handler answers nothing and writes nothing. */
  let silent = false;
  /** The handler is given the message's receipt, as the app's is. */
  let withReceipt = false;
  let router: Router;

  beforeAll(async () => {
    t = await startTestApp(target);
    const real = t.app.conversations;
    const flaky: MessageHandler = {
      async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt) {
        calls += 1;
        const failure = failures.shift();
        if (failure) throw failure();
        if (silent) return;
        return real.handleMessage(speaker, inbound, withReceipt ? receipt : undefined);
      },
    };
    router = new Router({
      prisma: t.app.database.prisma,
      communityId: t.app.communityId,
      defaultLocale: 'zh-CN',
      translator: t.app.translator,
      flood: new FloodLimiter(1_000, 1_000),
      handler: flaky,
      outbox: t.app.outbox,
      logger: createLogger('silent'),
    });
  });
  afterAll(() => t?.close());

  const person = () => {
    const someone = new WebPerson(t.app);
    return { someone, say: (text: string) => router.route(someone.message(text)) };
  };

  it('runs the turn again and answers normally, with no apology', async () => {
    failures = [noConnectionInTime, noConnectionInTime];
    calls = 0;
    const { someone, say } = person();
    expect(await say('你好')).toBe('handled');
    expect(calls).toBe(3);
    const [reply] = await someone.waitForMessages(1);
    expect(reply!.text).toContain('您好');
    await whenQuiet(t.app.database.prisma);
    expect((await someone.received()).some((m) => m.text.includes('出了点问题'))).toBe(false);
  });

  it('records every message handled once, whether its turn settled it or its handler wrote nothing', async () => {
    const prisma = t.app.database.prisma;
    const statusOf = (externalId: string) => prisma.inboundMessage.findUniqueOrThrow({ where: { channel_externalId: { channel: 'web', externalId } } });
    failures = [];
    for (const mode of ['turn with receipt', 'turn without', 'nothing written'] as const) {
      withReceipt = mode === 'turn with receipt';
      silent = mode === 'nothing written';
      const { someone } = person();
      const message = someone.message('你好');
      expect(await router.route(message)).toBe('handled');
      const row = await statusOf(message.externalId);
      expect([mode, row.status, row.chatAccountId !== null, row.handledAt !== null, row.payload]).toEqual([mode, 'handled', true, true, null]);
      // Delivered again (the platform retried): handled already, not answered twice.
      expect(await router.route(message)).toBe('duplicate');
      if (!silent) expect((await someone.waitForMessages(1)).length).toBe(1);
    }
    await whenQuiet(prisma);
    withReceipt = false;
    silent = false;
  });

  it('gives up after a few tries and apologises; other failures are apologised for at once', async () => {
    failures = Array.from({ length: 10 }, () => noConnectionInTime);
    calls = 0;
    const first = person();
    expect(await first.say('你好')).toBe('failed');
    expect(calls).toBe(4);
    expect((await first.someone.waitForMessages(1))[0]!.text).toContain('出了点问题');

    failures = [() => new Error('a bug')];
    calls = 0;
    const second = person();
    expect(await second.say('你好')).toBe('failed');
    expect(calls).toBe(1);
    expect((await second.someone.waitForMessages(1))[0]!.text).toContain('出了点问题');
  });
});

/**
 * A turn whose transaction rolled back for load (no connection in time, a deadlock) is run again
 * before anyone is told something went wrong; a turn that failed for any other reason is not, and
 * the person gets the apology. The rest of the app is real (web chat, database, queue, outbox).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/channels/types.js';
import type { Speaker } from '../../src/conversation/conversation-service.js';
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
  let router: Router;

  beforeAll(async () => {
    t = await startTestApp(target);
    const real = t.app.conversations;
    const flaky: MessageHandler = {
      async handleMessage(speaker: Speaker, inbound: InboundMessage) {
        calls += 1;
        const failure = failures.shift();
        if (failure) throw failure();
        return real.handleMessage(speaker, inbound);
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

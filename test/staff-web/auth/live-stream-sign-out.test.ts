/**
 * An open live stream (`GET /staff/events`) does not outlive its sign-in: it checks the session
 * every so often (here every 40 ms) and ends once the staff member signed out, or the session
 * went idle by the console's clock; while they are signed in it stays open and brings changes.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../src/features/community/staff.js';
import { planStaff } from '../../../src/features/community/staff-rules.js';
import { EventBus } from '../../../src/events/index.js';
import { streamLiveChanges } from '../../../src/staff-web/shell/live-stream.js';
import { LiveUpdates } from '../../../src/staff-web/shell/live-updates.js';
import { SESSION_COOKIE, staffSessionStillLive } from '../../../src/staff-web/shell/staff-context.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { waitFor } from '../../support/wait-for.js';

const IDLE_MS = 3_600_000;

describe.each(databaseTargets())('live stream and signing out (%s)', (target) => {
  let test: TestApp;
  let server: FastifyInstance;
  let live: LiveUpdates;
  let now: Date;
  let checks = 0;
  let released = 0;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    live = new LiveUpdates(new EventBus(), test.app.communityId);
    const deps = { prisma: test.app.database.prisma, communityId: test.app.communityId, sessionIdleMs: IDLE_MS, now: () => now };
    // The console's stream as its plugin opens it, with the session read from the cookie.
    server = Fastify();
    server.get('/events', async (request, reply) => {
      const token = /linli_staff=([^;]+)/.exec(request.headers.cookie ?? '')?.[1] ?? '';
      streamLiveChanges(live, request, reply, {
        release: () => released++,
        stillSignedIn: () => {
          checks++;
          return staffSessionStillLive(deps, token);
        },
        checkEveryMs: 40,
      });
    });
    await server.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server?.close();
    await test?.close();
  });

  async function signedIn(name: string): Promise<{ browser: StaffBrowser; cookie: string; residentId: string }> {
    const planned = planStaff({ name, role: 'committee' }, new Date(), 'Asia/Shanghai');
    if (!planned.ok) throw new Error(JSON.stringify(planned.problem));
    const { residentId } = await addStaff(test.app.database.prisma, { communityId: test.app.communityId, plan: planned.plan, actor: { kind: 'operator' } });
    const browser = new StaffBrowser(test.app);
    await browser.signIn(name, residentId);
    const session = await test.app.database.prisma.staffSession.findFirstOrThrow({ where: { residentId, endedAt: null } });
    // The console's clock: a minute after the sign-in.
    now = new Date(session.lastSeenAt.getTime() + 60_000);
    const cookie = browser.cookieHeader.split('; ').find((part) => part.startsWith(`${SESSION_COOKIE}=`))!;
    return { browser, cookie, residentId };
  }

  /** Opens the stream; `text()` is what arrived so far, `ended` resolves when the server ends it. */
  async function open(cookie: string) {
    const { port } = server.server.address() as AddressInfo;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port, path: '/events', headers: { cookie } }, resolve).on('error', reject).end();
    });
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    const ended = new Promise<void>((resolve) => response.once('end', () => resolve()));
    let hasEnded = false;
    void ended.then(() => (hasEnded = true));
    return { response, text: () => text, ended, hasEnded: () => hasEnded };
  }

  it('stays open and brings changes while signed in, and ends once the staff member signs out', async () => {
    const { browser, cookie } = await signedIn('何干事');
    const stream = await open(cookie);
    const releasedBefore = released;
    const checksBefore = checks;
    await waitFor(() => checks >= checksBefore + 3 || undefined, 'three session checks');
    expect(stream.hasEnded()).toBe(false);
    live.emit({ kind: 'ticket', id: 't-1' });
    await waitFor(() => stream.text().includes('"id":"t-1"') || undefined, 'the change on the stream');

    await browser.get('/staff/account');
    expect((await browser.post('/staff/sign-out')).status).toBe(303);
    await stream.ended;
    expect(released).toBe(releasedBefore + 1);
    expect(live.listeners).toBe(0);
  });

  it('ends when the session has gone idle by the console’s clock, without renewing it', async () => {
    const { cookie, residentId } = await signedIn('吕干事');
    const stream = await open(cookie);
    const checksBefore = checks;
    await waitFor(() => checks >= checksBefore + 2 || undefined, 'two session checks');
    // The checks did not keep the session alive: it was last used at sign-in.
    const session = await test.app.database.prisma.staffSession.findFirstOrThrow({ where: { residentId } });
    expect(session.lastSeenAt.getTime()).toBe(now.getTime() - 60_000);
    now = new Date(session.lastSeenAt.getTime() + IDLE_MS + 1);
    await stream.ended;
    expect(live.listeners).toBe(0);
  });

  it('ends when the person is no longer staff', async () => {
    const { cookie, residentId } = await signedIn('施干事');
    const stream = await open(cookie);
    await test.app.database.prisma.roleAssignment.updateMany({ where: { residentId }, data: { endsOn: new Date(now.getTime() - 1) } });
    await stream.ended;
  });
});

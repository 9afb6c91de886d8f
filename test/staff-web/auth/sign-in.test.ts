/**
 * Signing in to the staff console on the whole app: the first administrator's one-time setup
 * address, codes from the command line and from the bot, wrong codes limited per address and per
 * person (each refusal audited), CSRF on every form, signing out here and everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../src/features/community/staff.js';
import { planStaff } from '../../../src/features/community/staff-rules.js';
import { MISSES_PER_ORIGIN, MISSES_PER_PERSON } from '../../../src/staff-web/auth/login-codes.js';
import { startTestApp, WebPerson, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';
import { waitFor } from '../../support/wait-for.js';

describe.each(databaseTargets())('staff sign-in (%s)', (target) => {
  let test: TestApp;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
  });
  afterAll(async () => {
    await test?.close();
  });

  async function addStaffMember(name: string, role = 'committee', area?: string): Promise<string> {
    const planned = planStaff({ name, role, ...(area ? { area } : {}) }, new Date(), 'Asia/Shanghai');
    if (!planned.ok) throw new Error(JSON.stringify(planned.problem));
    const added = await addStaff(test.app.database.prisma, { communityId: test.app.communityId, plan: planned.plan, actor: { kind: 'operator' } });
    return added.residentId;
  }

  it('makes the first administrator through the one-time setup address, which is then gone', async () => {
    const [line] = await test.app.readyLines('http://127.0.0.1:3000');
    expect(line).toMatch(/http:\/\/127\.0\.0\.1:3000\/staff\/setup\/[A-Za-z0-9_-]{32}/);
    const path = /\/staff\/setup\/[A-Za-z0-9_-]+/.exec(line!)![0];

    // A restart prints a new address: only the newest works.
    const [newer] = await test.app.readyLines('http://127.0.0.1:3000');
    const newerPath = /\/staff\/setup\/[A-Za-z0-9_-]+/.exec(newer!)![0];
    const browser = new StaffBrowser(test.app);
    expect((await browser.get(path)).status).toBe(410);

    const form = await browser.get(newerPath);
    expect(form.status).toBe(200);
    expect(form.body).toContain('name="_csrf"');
    // Without the CSRF token nothing happens.
    expect((await browser.post(newerPath, { _csrf: null, name: '王主任' })).status).toBe(403);
    expect(await test.app.database.prisma.roleAssignment.count({ where: { role: 'admin' } })).toBe(0);

    const done = await browser.post(newerPath, { name: '王主任' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/staff');
    expect(browser.has('linli_staff')).toBe(true);
    const account = await browser.get('/staff/account');
    expect(account.status).toBe(200);
    expect(account.body).toContain('王主任');

    const admin = await test.app.database.prisma.roleAssignment.findFirstOrThrow({ where: { role: 'admin' }, include: { resident: true } });
    expect(admin.resident.name).toBe('王主任');
    const audit = await test.app.database.prisma.auditLog.findFirst({ where: { action: 'staff.first_admin' } });
    expect(audit).toMatchObject({ via: 'console', subjectId: admin.residentId });

    // Gone for good: the page, the form and the start-up line.
    expect((await new StaffBrowser(test.app).get(newerPath)).status).toBe(410);
    expect(await test.app.readyLines('http://127.0.0.1:3000')).toEqual([]);
  });

  it('signs in with a code from the command line, once; the cookie is HttpOnly and SameSite=Strict', async () => {
    const id = await addStaffMember('李委员');
    const browser = new StaffBrowser(test.app);
    await browser.signIn('李委员', id);
    const page = await browser.get('/staff/account');
    expect(page.status).toBe(200);

    const raw = await test.app.http.inject({ method: 'GET', url: '/staff/sign-in', remoteAddress: '198.51.100.1' });
    const csrfCookie = [raw.headers['set-cookie']].flat().join('\n');
    expect(csrfCookie).toMatch(/HttpOnly/);
    expect(csrfCookie).toMatch(/SameSite=Strict/);
  });

  it('sends a code to the staff member’s bound chat and takes it', async () => {
    const id = await addStaffMember('赵干事');
    const chat = new WebPerson(test.app);
    await test.app.database.prisma.chatAccount.create({
      data: { communityId: test.app.communityId, channel: 'web', externalId: chat.sessionId, residentId: id, boundAt: new Date() },
    });
    const browser = new StaffBrowser(test.app, '203.0.113.20');
    await browser.get('/staff/sign-in');
    const asked = await browser.post('/staff/sign-in/code', { name: '赵干事' });
    expect(asked.status).toBe(200);
    const [message] = await chat.waitForMessages(1);
    const code = /(\d{4} \d{4})/.exec(message!.text)![1]!;
    // Someone who is not staff gets the same answer and no message.
    const other = await browser.post('/staff/sign-in/code', { name: '不是员工' });
    expect(other.body).toContain(asked.body.match(/shell-status-ok[^>]*>([^<]+)/)![1]);

    const signedIn = await browser.post('/staff/sign-in', { name: '赵干事', code });
    expect(signedIn.status).toBe(303);
    // The code works once.
    const again = new StaffBrowser(test.app, '203.0.113.21');
    await again.get('/staff/sign-in');
    expect((await again.post('/staff/sign-in', { name: '赵干事', code })).status).toBe(401);
  });

  it(`voids a person's codes from the bot after ${MISSES_PER_PERSON} wrong ones, from any addresses, and audits each refusal`, async () => {
    const id = await addStaffMember('钱干事');
    const browser = new StaffBrowser(test.app);
    const key = (await import('../../../src/security/derived-key.js')).deriveKey(test.app.config.LINLI_SECRET!, 'staff-login-code');
    const { issueLoginCode } = await import('../../../src/staff-web/auth/login-codes.js');
    const { code } = await test.app.database.prisma.$transaction((tx) => issueLoginCode(tx, { communityId: test.app.communityId, residentId: id, via: 'chat', key, now: new Date() }));
    for (let i = 0; i < MISSES_PER_PERSON; i++) {
      const guesser = new StaffBrowser(test.app, `192.0.2.${i + 1}`);
      await guesser.get('/staff/sign-in');
      const wrong = String((Number(code.replace(' ', '')) + i + 1) % 100_000_000).padStart(8, '0');
      const refused = await guesser.post('/staff/sign-in', { name: '钱干事', code: wrong });
      expect(refused.status).toBe(401);
    }
    await browser.get('/staff/sign-in');
    const late = await browser.post('/staff/sign-in', { name: '钱干事', code });
    expect(late.status).toBe(401);
    const refusals = await test.app.database.prisma.auditLog.findMany({ where: { action: 'staff.sign_in', subjectId: id } });
    expect(refusals).toHaveLength(MISSES_PER_PERSON + 1);
    expect(refusals.every((row) => row.via === 'console')).toBe(true);
    expect(refusals.map((row) => (row.details as { reason: string }).reason)).toContain('codes_voided');
    // A new code works.
    await browser.signIn('钱干事', id);
  });

  it(`refuses an address after ${MISSES_PER_ORIGIN} wrong codes and nobody else`, async () => {
    const id = await addStaffMember('孙干事');
    const flood = new StaffBrowser(test.app, '192.0.2.200');
    await flood.get('/staff/sign-in');
    for (let i = 0; i < MISSES_PER_ORIGIN; i++) {
      expect((await flood.post('/staff/sign-in', { name: `某人${i}`, code: '0000 0000' })).status).toBe(401);
    }
    const limited = await flood.post('/staff/sign-in', { name: '孙干事', code: '0000 0000' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address signs in as usual.
    await new StaffBrowser(test.app, '192.0.2.201').signIn('孙干事', id);
  });

  it('signs out here, and everywhere', async () => {
    const id = await addStaffMember('周干事');
    const phone = new StaffBrowser(test.app, '203.0.113.50');
    const desk = new StaffBrowser(test.app, '203.0.113.51');
    await phone.signIn('周干事', id);
    await desk.signIn('周干事', id);
    await phone.get('/staff/account');
    expect((await phone.post('/staff/sign-out-everywhere')).status).toBe(303);
    expect((await desk.get('/staff/account')).status).toBe(303);
    expect((await phone.get('/staff/account')).status).toBe(303);
    await waitFor(async () => (await test.app.database.prisma.staffSession.count({ where: { residentId: id, endedAt: null } })) === 0 || undefined, 'sessions ended');
  });

  it('refuses pages to someone not signed in, and forged cookies', async () => {
    const stranger = new StaffBrowser(test.app);
    const page = await stranger.get('/staff/account');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/staff/sign-in?next=%2Fstaff%2Faccount');
    const forged = await test.app.http.inject({ method: 'GET', url: '/staff/account', headers: { cookie: 'linli_staff=' + 'A'.repeat(43) } });
    expect(forged.statusCode).toBe(303);
    const post = await test.app.http.inject({ method: 'POST', url: '/staff/sign-out', headers: { cookie: 'linli_staff=x\u0000' } });
    expect(post.statusCode).toBeGreaterThanOrEqual(400);
    expect(post.statusCode).toBeLessThan(500);
  });
});

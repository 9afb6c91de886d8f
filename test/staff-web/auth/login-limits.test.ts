/**
 * The limits on guessing sign-in codes, on the whole app: a wrong code counts against every staff
 * member of the name typed; guesses sent all at once are counted one after another; a code the
 * operator printed is never voided; a refused address writes nothing more; codes whose hashes
 * repeat are told apart by their person; old codes and misses are pruned when a code is issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff } from '../../../src/features/community/staff.js';
import { planStaff } from '../../../src/features/community/staff-rules.js';
import { deriveKey } from '../../../src/security/derived-key.js';
import { hashLoginCode, issueLoginCode, MISSES_PER_ORIGIN, MISSES_PER_PERSON } from '../../../src/staff-web/auth/login-codes.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { databaseTargets } from '../../support/database.js';
import { StaffBrowser } from '../../support/staff-browser.js';

describe.each(databaseTargets())('sign-in limits (%s)', (target) => {
  let test: TestApp;
  let key: string;

  beforeAll(async () => {
    test = await startTestApp(target, {}, undefined, { serve: true });
    key = deriveKey(test.app.config.LINLI_SECRET!, 'staff-login-code');
  });
  afterAll(async () => {
    await test?.close();
  });

  async function addStaffMember(name: string, phone?: string): Promise<string> {
    const planned = planStaff({ name, role: 'committee', ...(phone ? { phone } : {}) }, new Date(), 'Asia/Shanghai');
    if (!planned.ok) throw new Error(JSON.stringify(planned.problem));
    const added = await addStaff(test.app.database.prisma, { communityId: test.app.communityId, plan: planned.plan, actor: { kind: 'operator' } });
    return added.residentId;
  }

  async function issue(residentId: string, via: 'chat' | 'cli', now = new Date()): Promise<string> {
    const { code } = await test.app.database.prisma.$transaction((tx) => issueLoginCode(tx, { communityId: test.app.communityId, residentId, via, key, now }));
    return code;
  }

  /** A code that is not `code` (the `n`th such). */
  function wrongFor(code: string, n: number): string {
    return String((Number(code.replace(' ', '')) + n + 1) % 100_000_000).padStart(8, '0');
  }

  async function guess(address: string, name: string, code: string) {
    const browser = new StaffBrowser(test.app, address);
    await browser.get('/staff/sign-in');
    return browser.post('/staff/sign-in', { name, code });
  }

  it('counts a wrong code against every staff member of the name, voiding both their codes', async () => {
    const one = await addStaffMember('陈干事', '13800000001');
    const two = await addStaffMember('陈干事', '13800000002');
    const codeOne = await issue(one, 'chat');
    const codeTwo = await issue(two, 'chat');
    for (let i = 0; i < MISSES_PER_PERSON; i++) {
      expect((await guess(`192.0.2.${10 + i}`, '陈干事', wrongFor(codeOne, i))).status).toBe(401);
    }
    const prisma = test.app.database.prisma;
    expect(await prisma.staffLoginCode.count({ where: { residentId: { in: [one, two] }, voidedAt: null } })).toBe(0);
    expect((await guess('192.0.2.30', '陈干事', codeOne)).status).toBe(401);
    expect((await guess('192.0.2.31', '陈干事', codeTwo)).status).toBe(401);
    // Each of them has the refusals in their own audit trail.
    for (const id of [one, two]) {
      const reasons = (await prisma.auditLog.findMany({ where: { action: 'staff.sign_in', subjectId: id } })).map((row) => (row.details as { reason: string }).reason);
      expect(reasons.filter((reason) => reason === 'codes_voided')).toHaveLength(1);
      expect(reasons.filter((reason) => reason === 'wrong_code')).toHaveLength(MISSES_PER_PERSON - 1 + 2);
    }
    // A new code for one of them works.
    await new StaffBrowser(test.app, '192.0.2.32').signIn('陈干事', two);
  });

  it('counts guesses sent all at once one after another', async () => {
    const id = await addStaffMember('林干事');
    const code = await issue(id, 'chat');
    const browsers = await Promise.all(
      Array.from({ length: MISSES_PER_PERSON * 3 }, async (_, i) => {
        const browser = new StaffBrowser(test.app, `198.51.100.${100 + i}`);
        await browser.get('/staff/sign-in');
        return browser;
      }),
    );
    const answers = await Promise.all(browsers.map((browser, i) => browser.post('/staff/sign-in', { name: '林干事', code: wrongFor(code, i) })));
    expect(answers.every((answer) => answer.status === 401)).toBe(true);
    const prisma = test.app.database.prisma;
    expect(await prisma.staffLoginCode.count({ where: { residentId: id, voidedAt: null } })).toBe(0);
    const voidings = await prisma.auditLog.findMany({ where: { action: 'staff.sign_in', subjectId: id } });
    expect(voidings.filter((row) => (row.details as { reason: string }).reason === 'codes_voided')).toHaveLength(1);
    expect((await guess('198.51.100.99', '林干事', code)).status).toBe(401);
  });

  it('never voids a code the operator printed, so a stranger guessing cannot keep its holder out', async () => {
    const id = await addStaffMember('吴干事');
    const printed = await issue(id, 'cli');
    for (let i = 0; i < MISSES_PER_PERSON + 2; i++) {
      expect((await guess(`203.0.113.${100 + i}`, '吴干事', wrongFor(printed, i))).status).toBe(401);
    }
    const refusals = await test.app.database.prisma.auditLog.findMany({ where: { action: 'staff.sign_in', subjectId: id } });
    expect(refusals.map((row) => (row.details as { reason: string }).reason).every((reason) => reason === 'wrong_code')).toBe(true);
    const holder = new StaffBrowser(test.app, '203.0.113.120');
    await holder.get('/staff/sign-in');
    expect((await holder.post('/staff/sign-in', { name: '吴干事', code: printed })).status).toBe(303);
  });

  it('writes no more misses or audit rows for an address once it is refused, and one row when it becomes so', async () => {
    const prisma = test.app.database.prisma;
    const flood = new StaffBrowser(test.app, '2001:db8:77:1::1');
    await flood.get('/staff/sign-in');
    const missesBefore = await prisma.staffLoginMiss.count();
    const auditsBefore = await prisma.auditLog.count({ where: { action: 'staff.sign_in' } });
    for (let i = 0; i < MISSES_PER_ORIGIN; i++) {
      expect((await flood.post('/staff/sign-in', { name: `无此人${i}`, code: '0000 0000' })).status).toBe(401);
    }
    // Another address of the same /64 is the same host.
    const rotated = new StaffBrowser(test.app, '2001:db8:77:1:abcd::9');
    await rotated.get('/staff/sign-in');
    for (let i = 0; i < 5; i++) expect((await rotated.post('/staff/sign-in', { name: '无此人', code: '0000 0000' })).status).toBe(429);
    expect(await prisma.staffLoginMiss.count()).toBe(missesBefore + MISSES_PER_ORIGIN);
    expect(await prisma.auditLog.count({ where: { action: 'staff.sign_in' } })).toBe(auditsBefore + MISSES_PER_ORIGIN + 1);
    const audits = await prisma.auditLog.findMany({ where: { action: 'staff.sign_in' } });
    expect(audits.filter((row) => (row.details as { reason: string }).reason === 'too_many_from_here')).toHaveLength(1);
  });

  it('tells apart codes whose hashes are the same, by the name typed', async () => {
    const one = await addStaffMember('郑干事');
    const two = await addStaffMember('冯干事');
    const prisma = test.app.database.prisma;
    const now = new Date();
    for (const residentId of [one, two]) {
      await prisma.staffLoginCode.create({
        data: { communityId: test.app.communityId, residentId, purpose: 'login', via: 'chat', codeHash: hashLoginCode(key, '24682468'), expiresAt: new Date(now.getTime() + 600_000), createdAt: now },
      });
    }
    // The command line issues many more codes without tripping over a repeated hash.
    await issue(one, 'cli');
    const browser = new StaffBrowser(test.app, '192.0.2.150');
    await browser.get('/staff/sign-in');
    expect((await browser.post('/staff/sign-in', { name: '冯干事', code: '2468 2468' })).status).toBe(303);
    const codes = await prisma.staffLoginCode.findMany({ where: { codeHash: hashLoginCode(key, '24682468') }, select: { residentId: true, usedAt: true } });
    expect(codes.find((row) => row.residentId === two)?.usedAt).not.toBeNull();
    expect(codes.find((row) => row.residentId === one)?.usedAt).toBeNull();
  });

  it('prunes codes expired more than a day ago and misses older than a day when a code is issued', async () => {
    const id = await addStaffMember('褚干事');
    const prisma = test.app.database.prisma;
    const communityId = test.app.communityId;
    const now = new Date('2031-03-01T08:00:00Z');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const code = (expiresAt: Date, digits: string) =>
      prisma.staffLoginCode.create({ data: { communityId, residentId: id, purpose: 'login', via: 'chat', codeHash: hashLoginCode(key, digits), expiresAt, createdAt: hoursAgo(30) }, select: { id: true } });
    const old = await code(hoursAgo(24.5), '11110000');
    const recent = await code(hoursAgo(23.5), '11110001');
    const oldMiss = await prisma.staffLoginMiss.create({ data: { communityId, origin: 'staff:old', residentId: id, createdAt: hoursAgo(24.5) }, select: { id: true } });
    const recentMiss = await prisma.staffLoginMiss.create({ data: { communityId, origin: 'staff:recent', residentId: id, createdAt: hoursAgo(23.5) }, select: { id: true } });
    await issue(id, 'chat', now);
    expect(await prisma.staffLoginCode.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma.staffLoginCode.findUnique({ where: { id: recent.id } })).not.toBeNull();
    expect(await prisma.staffLoginMiss.findUnique({ where: { id: oldMiss.id } })).toBeNull();
    expect(await prisma.staffLoginMiss.findUnique({ where: { id: recentMiss.id } })).not.toBeNull();
  });
});

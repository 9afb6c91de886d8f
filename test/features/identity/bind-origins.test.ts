/**
 * The community-wide pause of binding on a real database: wrong codes count per origin, each
 * origin's share capped, so one client — however many web chat sessions it opens — can never
 * pause binding for everyone; many origins can. While paused, a person with a right code is told
 * binding is paused and until when, and their code is neither used up nor counted. Staff with
 * the right role lift the pause (audited; a refusal too), and the count starts afresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { bindStatus, tryBindCode } from '../../../src/features/identity/bind-code.js';
import { resumeBindingIn } from '../../../src/features/identity/binding-resume.js';
import { createInviteCode } from '../../../src/features/identity/invite-codes.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedHousehold, seedStaff } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const MINUTE = 60_000;
const WRONG = 'WXYZ-2345';
const operator = { kind: 'operator' } as const;
const T0 = new Date('2026-06-01T06:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

describe.each(databaseTargets())('wrong codes counted per origin, on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
  });
  afterAll(() => db?.close());

  const tryCode = (communityId: string, chatAccountId: string, code: string, now: Date, origin?: string) =>
    prisma.$transaction((tx) => tryBindCode(tx, { communityId, chatAccountId, code, now, origin }));
  const personCode = async (communityId: string, name: string) => {
    const household = await seedHousehold(prisma, communityId, [{ name }]);
    return (await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now: T0 })).code;
  };
  /** `origins` Telegram-like accounts (each its own origin), `each` wrong codes apiece. */
  const guessers = async (communityId: string, origins: number, each: number, now: Date) => {
    for (let i = 0; i < origins; i++) {
      const account = await seedAccount(prisma, communityId, 'telegram');
      for (let n = 0; n < each; n++) await tryCode(communityId, account, WRONG, now);
    }
  };

  it('one web client with 11 sessions and 55 wrong codes pauses nothing: a resident’s right code binds', async () => {
    const communityId = (await seedCommunity(prisma)).id;
    for (let session = 0; session < 11; session++) {
      const account = await seedAccount(prisma, communityId, 'web');
      for (let n = 0; n < 5; n++) await tryCode(communityId, account, WRONG, at(n * 0.1), 'web:one-client');
    }
    expect(await prisma.bindCodeMiss.count({ where: { communityId } })).toBe(55);
    const resident = await seedAccount(prisma, communityId, 'web');
    expect(await bindStatus(prisma, resident, at(1))).toEqual({ status: 'visitor' });
    expect((await tryCode(communityId, resident, await personCode(communityId, '林一'), at(1), 'web:another-client')).status).toBe('bound');
    expect(await prisma.auditLog.count({ where: { communityId, action: 'binding.closed' } })).toBe(0);
  }, 120_000);

  it('many origins pause it; a right code meanwhile is told “paused”, not used up and not counted; it works afterwards', async () => {
    const communityId = (await seedCommunity(prisma)).id;
    await guessers(communityId, 16, 3, T0);
    await guessers(communityId, 1, 2, T0);
    expect(await prisma.auditLog.count({ where: { communityId, action: 'binding.closed' } })).toBe(1);

    const code = await personCode(communityId, '林二');
    const resident = await seedAccount(prisma, communityId, 'wechat');
    expect(await bindStatus(prisma, resident, at(2))).toEqual({ status: 'paused', until: at(15) });
    expect(await tryCode(communityId, resident, code, at(2))).toEqual({ status: 'paused', until: at(15) });
    const row = await prisma.chatAccount.findUniqueOrThrow({ where: { id: resident } });
    expect([row.residentId, row.bindFailures]).toEqual([null, 0]);
    expect((await prisma.inviteCode.findFirstOrThrow({ where: { communityId, usedAt: null } })).usedByAccountId).toBeNull();
    expect(await prisma.bindCodeMiss.count({ where: { communityId } })).toBe(50);

    expect((await tryCode(communityId, resident, code, at(15))).status).toBe('bound');
  }, 120_000);

  it('staff lift the pause: a steward may not (audited), a committee member may; the count starts afresh', async () => {
    const communityId = (await seedCommunity(prisma)).id;
    const steward = (await loadActor(prisma, { residentId: await seedStaff(prisma, communityId, 'steward') }))!;
    const committee = (await loadActor(prisma, { residentId: await seedStaff(prisma, communityId, 'committee') }))!;
    const resume = (actor: typeof steward, now: Date) => prisma.$transaction((tx) => resumeBindingIn(tx, { communityId, actor, now }));
    // Roles start when they are given: this test's clock runs from now.
    const T0 = new Date(Date.now() + MINUTE);
    const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
    const personCode = async (communityId: string, name: string) => {
      const household = await seedHousehold(prisma, communityId, [{ name }]);
      return (await createInviteCode(prisma, { communityId, residentId: household.residentIds[0]!, actor: operator, now: T0 })).code;
    };

    expect(await resume(committee, T0)).toEqual({ status: 'not_paused' });
    await guessers(communityId, 17, 3, T0);
    const closed = await prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'binding.closed' } });

    expect(await resume(steward, at(1))).toEqual({ status: 'denied', reason: 'role_required' });
    const resident = await seedAccount(prisma, communityId, 'web');
    expect((await tryCode(communityId, resident, WRONG, at(1))).status).toBe('paused');

    expect(await resume(committee, at(2))).toEqual({ status: 'resumed', closedAuditId: closed.id, until: at(15) });
    const audit = await prisma.auditLog.findMany({ where: { communityId, action: 'binding.resumed' }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((row) => [row.actorId, row.details])).toEqual([
      [steward.kind === 'person' ? steward.residentId : null, { denied: true, reason: 'role_required' }],
      [committee.kind === 'person' ? committee.residentId : null, { closedAuditId: closed.id, wrongCodesForgotten: 50 }],
    ]);

    // Open again: a right code binds, and one more wrong code does not pause it at once.
    expect((await tryCode(communityId, resident, await personCode(communityId, '林三'), at(3))).status).toBe('bound');
    expect((await tryCode(communityId, await seedAccount(prisma, communityId, 'telegram'), WRONG, at(3))).status).toBe('invalid');
    expect(await resume(committee, at(4))).toEqual({ status: 'not_paused' });
  }, 120_000);
});

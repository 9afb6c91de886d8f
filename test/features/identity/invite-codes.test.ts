/**
 * Creating invite codes: returned once as ABCD-EFGH, stored only as a hash, valid for the given
 * days, recorded in the audit log, allowed to the operator and to staff whose area covers the
 * household — refused to staff elsewhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { hashCode } from '../../../src/features/identity/invite-code-format.js';
import {
  consumeInviteCode,
  createInviteCode,
  InviteTargetNotFoundError,
  lookUpInviteCode,
} from '../../../src/features/identity/invite-codes.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../../src/features/policy/policy.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedArea, seedHousehold, seedStaff } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const DAY = 24 * 60 * 60_000;
const operator = { kind: 'operator' } as const;

describe.each(databaseTargets())('invite codes on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let communityId: string;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    communityId = (await seedCommunity(prisma)).id;
  });
  afterAll(() => db?.close());

  it('returns the code once, stores only its hash, and expires after 7 days by default', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '张三' }]);
    const now = new Date('2026-06-01T06:00:00Z');
    const { code, expiresAt } = await createInviteCode(prisma, { communityId, householdId: household.householdId, actor: operator, now });
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(expiresAt).toEqual(new Date(now.getTime() + 7 * DAY));
    const row = await prisma.inviteCode.findFirstOrThrow({ where: { householdId: household.householdId } });
    expect(row.codeHash).toBe(hashCode(code));
    expect(JSON.stringify(row)).not.toContain(code.replace('-', ''));
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.usedAt).toBeNull();
  });

  it('takes other lifetimes and refuses silly ones', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '李四' }]);
    const now = new Date('2026-06-01T06:00:00Z');
    const { expiresAt } = await createInviteCode(prisma, { communityId, householdId: household.householdId, ttlDays: 1, actor: operator, now });
    expect(expiresAt).toEqual(new Date(now.getTime() + DAY));
    for (const ttlDays of [0, -1, 366, Number.NaN]) {
      await expect(createInviteCode(prisma, { communityId, householdId: household.householdId, ttlDays, actor: operator })).rejects.toThrow(RangeError);
    }
  });

  it('makes codes for one person, and records every code in the audit log (ids only)', async () => {
    const staffId = await seedStaff(prisma, communityId, 'committee');
    await createInviteCode(prisma, { communityId, residentId: staffId, actor: operator });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, subjectId: staffId } });
    expect(audit).toMatchObject({ action: 'invite.create', subjectType: 'resident', via: 'cli', actorId: null });
    expect(Object.keys(audit.details as object).sort()).toEqual(['inviteCodeId', 'ttlDays']);
  });

  it('lets a steward make codes in their area only', async () => {
    const area = await seedArea(prisma, communityId);
    const elsewhere = await seedArea(prisma, communityId);
    const inside = await seedHousehold(prisma, communityId, [{ name: '王五' }], { areaId: area });
    const outside = await seedHousehold(prisma, communityId, [{ name: '赵六' }], { areaId: elsewhere });
    const steward = (await loadActor(prisma, { residentId: await seedStaff(prisma, communityId, 'steward', area) }))!;
    await expect(createInviteCode(prisma, { communityId, householdId: inside.householdId, actor: steward })).resolves.toMatchObject({ code: expect.any(String) });
    await expect(createInviteCode(prisma, { communityId, householdId: outside.householdId, actor: steward })).rejects.toThrow(PolicyDeniedError);
    expect(await prisma.inviteCode.count({ where: { householdId: outside.householdId } })).toBe(0);
  });

  it('refuses a household or person that is not in the community', async () => {
    const other = (await seedCommunity(prisma)).id;
    const foreign = await seedHousehold(prisma, other, [{ name: '外人' }]);
    await expect(createInviteCode(prisma, { communityId, householdId: foreign.householdId, actor: operator })).rejects.toThrow(InviteTargetNotFoundError);
    await expect(createInviteCode(prisma, { communityId, residentId: 'no-such-person', actor: operator })).rejects.toThrow(InviteTargetNotFoundError);
  });

  it('keeps one working personal code per person: a new one ends the earlier unused ones, household codes stay', async () => {
    const staffId = await seedStaff(prisma, communityId, 'steward');
    const now = new Date('2026-06-01T06:00:00Z');
    const first = await createInviteCode(prisma, { communityId, residentId: staffId, actor: operator, now });
    const later = new Date(now.getTime() + 60_000);
    const second = await createInviteCode(prisma, { communityId, residentId: staffId, actor: operator, now: later });
    expect((await lookUpInviteCode(prisma, communityId, first.code, later)).status).toBe('expired');
    expect((await lookUpInviteCode(prisma, communityId, second.code, later)).status).toBe('valid');
    const audits = await prisma.auditLog.findMany({ where: { communityId, subjectId: staffId, action: 'invite.create' }, orderBy: { createdAt: 'asc' } });
    expect(audits.map((a) => (a.details as { replaced?: number }).replaced ?? 0)).toEqual([0, 1]);

    const household = await seedHousehold(prisma, communityId, [{ name: '周八' }, { name: '周九' }]);
    const one = await createInviteCode(prisma, { communityId, householdId: household.householdId, actor: operator, now });
    const two = await createInviteCode(prisma, { communityId, householdId: household.householdId, actor: operator, now });
    expect((await lookUpInviteCode(prisma, communityId, one.code, now)).status).toBe('valid');
    expect((await lookUpInviteCode(prisma, communityId, two.code, now)).status).toBe('valid');
  });

  it('looks codes up however they are typed, and tells used and expired ones apart', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '孙七' }]);
    const now = new Date('2026-06-01T06:00:00Z');
    const { code, expiresAt } = await createInviteCode(prisma, { communityId, householdId: household.householdId, actor: operator, now });
    const lower = code.toLowerCase().replace('-', ' ');
    expect(await lookUpInviteCode(prisma, communityId, lower, now)).toMatchObject({ status: 'valid', householdId: household.householdId });
    // Expired at the very instant it expires.
    expect((await lookUpInviteCode(prisma, communityId, code, new Date(expiresAt.getTime() - 1))).status).toBe('valid');
    expect((await lookUpInviteCode(prisma, communityId, code, expiresAt)).status).toBe('expired');
    // Another community does not know it.
    expect((await lookUpInviteCode(prisma, (await seedCommunity(prisma)).id, code, now)).status).toBe('unknown');
    expect((await lookUpInviteCode(prisma, communityId, 'ABCD-EFG', now)).status).toBe('malformed');

    const found = await lookUpInviteCode(prisma, communityId, code, now);
    const accountId = await seedAccount(prisma, communityId);
    if (found.status !== 'valid') throw new Error('expected a valid code');
    expect(await prisma.$transaction((tx) => consumeInviteCode(tx, found.id, accountId, now))).toBe(true);
    expect(await prisma.$transaction((tx) => consumeInviteCode(tx, found.id, accountId, now))).toBe(false);
    expect((await lookUpInviteCode(prisma, communityId, code, now)).status).toBe('used');
  });
});

describe.each(databaseTargets())('invite codes in a caller’s transaction on %s', (target) => {
  it('are created with their audit row, and roll back with the caller', async () => {
    const db = await createTestDatabase(target);
    try {
      const communityId = (await seedCommunity(db.prisma)).id;
      const household = await seedHousehold(db.prisma, communityId, [{ name: '甲' }]);
      const made = await db.prisma.$transaction((tx) => createInviteCode(tx, { communityId, householdId: household.householdId, actor: operator }));
      expect(made.code).toMatch(/-/);
      await expect(
        db.prisma.$transaction(async (tx) => {
          await createInviteCode(tx, { communityId, householdId: household.householdId, actor: operator });
          throw new Error('the caller changed its mind');
        }),
      ).rejects.toThrow('changed its mind');
      expect(await db.prisma.inviteCode.count({ where: { householdId: household.householdId } })).toBe(1);
      expect(await db.prisma.auditLog.count({ where: { communityId, action: 'invite.create' } })).toBe(1);
    } finally {
      await db.close();
    }
  });
});

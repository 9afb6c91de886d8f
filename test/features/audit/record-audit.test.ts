/**
 * Audit rows: written in the caller's transaction (gone when it rolls back), who and from where
 * (`via`), and details that hold ids and counts only — personal data is refused with an error
 * and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditDetailsError, checkAuditDetails, type AuditDetails } from '../../../src/features/audit/audit-details.js';
import { recordAudit } from '../../../src/features/audit/record-audit.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedCommunity } from '../../support/community.js';

describe('audit details', () => {
  it.each<[string, AuditDetails]>([
    ['a name', { name: 'x' }],
    ['a phone', { phone: '1' }],
    ['message text', { text: 'hello' }],
    ['an address', { address: 'x' }],
    ['a member name', { memberName: 'x' }],
    ['a name under another spelling', { head_name: 'x' }],
    ['a phone number key', { PhoneNumber: 'x' }],
    ['a nested name', { resident: { name: 'x' } }],
    ['a name in a list', { rows: [{ id: 'a' }, { fullName: 'x' }] }],
    ['a note', { internalNote: 'x' }],
  ])('refuses %s by its key', (_what, details) => {
    expect(() => checkAuditDetails(details)).toThrow(AuditDetailsError);
  });

  it.each<[string, AuditDetails]>([
    ['Chinese text', { reason: '张三丰' }],
    ['words with spaces', { reason: 'please call me' }],
    ['a mobile number under an innocent key', { ref: '13812345678' }],
    ['a mobile number inside an id', { ref: 'x-13812345678-y' }],
    ['a mobile number in a list', { refs: ['a', '13812345678'] }],
    ['a long string', { ref: 'a'.repeat(101) }],
    ['an infinite count', { count: Number.POSITIVE_INFINITY }],
  ])('refuses %s by its value', (_what, details) => {
    expect(() => checkAuditDetails(details)).toThrow(AuditDetailsError);
  });

  it('accepts record ids whose random digits happen to look like a mobile number', () => {
    // Seen during a full demo seed: a random UUID with eleven digits in a row.
    expect(() => checkAuditDetails({ residentId: '0b9c1a2e-5f3d-4e1b-9c1d-a13812345678' })).not.toThrow();
    expect(() => checkAuditDetails({ residentId: 'c13912345678abcdefghijklm' })).not.toThrow();
  });

  it('accepts ids, codes, counts, flags and nested ids', () => {
    expect(() =>
      checkAuditDetails({
        householdId: 'cmh1x2y3z0000abcd1234efgh',
        reason: 'outside_your_area',
        action: 'resident.reveal_phone',
        denied: true,
        count: 3076,
        roles: ['steward', 'council'],
        moved: { from: 'area-1', to: 'area-2' },
        none: null,
        path: 'zone/lane',
      }),
    ).not.toThrow();
  });

  it('names the key in the error, never the value', () => {
    try {
      checkAuditDetails({ resident: { phone: '13812345678' } });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('resident.phone');
      expect(String(error)).not.toContain('13812345678');
    }
    try {
      checkAuditDetails({ ref: '张三丰' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toContain('ref');
      expect(String(error)).not.toContain('张三丰');
    }
  });
});

describe.each(databaseTargets())('recordAudit on %s', (target) => {
  let db: TestDatabase;
  let communityId: string;
  let residentId: string;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    communityId = (await seedCommunity(db.prisma)).id;
    residentId = (await db.prisma.resident.create({ data: { communityId, name: '测试', phone: '13812345678' } })).id;
  });
  afterAll(() => db.close());

  const rows = (subjectId: string) => db.prisma.auditLog.findMany({ where: { subjectId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });

  it('records who, from where, what and to what', async () => {
    const person: Actor = { kind: 'person', residentId, communityId, householdId: null, headOfGroupId: null, roles: [] };
    const actors: [Actor, string | null, string][] = [
      [person, residentId, 'chat'],
      [{ kind: 'operator' }, null, 'cli'],
      [{ kind: 'system' }, null, 'system'],
    ];
    for (const [actor] of actors) {
      await db.prisma.$transaction((tx) =>
        recordAudit(tx, { communityId, actor, action: 'ticket.resolve', subjectType: 'ticket', subjectId: 'who-test', details: { count: 2 } }),
      );
    }
    const written = await rows('who-test');
    expect(written.map((row) => [row.actorId, row.via])).toEqual(actors.map(([, actorId, via]) => [actorId, via]));
    expect(written[0]).toMatchObject({ communityId, action: 'ticket.resolve', subjectType: 'ticket', details: { count: 2 } });
  });

  it("keeps a visitor's chat account id, the only trace of who it was", async () => {
    const visitor: Actor = { kind: 'visitor', chatAccountId: 'account-7', communityId };
    await recordAudit(db.prisma, { communityId, actor: visitor, action: 'resident.reveal_phone', subjectType: 'resident', subjectId: 'visitor-test' });
    const [row] = await rows('visitor-test');
    expect(row).toMatchObject({ actorId: null, via: 'chat', details: { chatAccountId: 'account-7' } });
  });

  it("is part of the caller's transaction: rolled back with it", async () => {
    const failure = new Error('the action failed after the audit row');
    await expect(
      db.prisma.$transaction(async (tx) => {
        await recordAudit(tx, { communityId, actor: { kind: 'system' }, action: 'ticket.merge', subjectType: 'ticket', subjectId: 'rollback-test' });
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await rows('rollback-test')).toEqual([]);
  });

  it('writes nothing when details hold personal data', async () => {
    await expect(
      db.prisma.$transaction((tx) =>
        recordAudit(tx, {
          communityId,
          actor: { kind: 'operator' },
          action: 'roster.import',
          subjectType: 'community',
          subjectId: 'refused-test',
          details: { households: 3, phone: '13812345678' },
        }),
      ),
    ).rejects.toThrow(AuditDetailsError);
    expect(await rows('refused-test')).toEqual([]);
  });
});

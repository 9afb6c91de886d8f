/**
 * The identity effects as flows call them: the names and read-only marks the flow checker knows,
 * results without names where they are stored, times in the community's zone, texts in the
 * person's language, and nothing done from a group chat.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EffectContext, EffectEntry } from '../../../src/conversation/effects.js';
import type { Json } from '../../../src/conversation/engine-types.js';
import { identity } from '../../../src/features/identity/module.js';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { identityEffects } from '../../../src/features/identity/identity-effects.js';
import { createInviteCode } from '../../../src/features/identity/invite-codes.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { ROOT } from '../../conversation/support/test-locales.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedHousehold } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const MINUTE = 60_000;
const translator = loadTranslator(join(ROOT, 'locales'));
let clock = new Date('2026-06-01T06:00:00Z');
const effects = identityEffects({ translator, timeZone: 'Asia/Shanghai', now: () => clock });

describe('the identity effects', () => {
  it('are exactly the effects the identity module declares, read-only where it says so', () => {
    const known = Object.entries(identity.effects ?? {});
    expect([...effects.keys()].sort()).toEqual(known.map(([name]) => name).sort());
    for (const [name, signature] of known) {
      expect(typeof effects.get(name) !== 'function', name).toBe(signature.readOnly === true);
    }
  });
});

describe.each(databaseTargets())('identity effects on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let communityId: string;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    communityId = (await seedCommunity(prisma)).id;
  });
  afterAll(() => db?.close());

  const run = (name: string, chatAccountId: string, args: Record<string, Json> = {}, extra: Partial<EffectContext> = {}) =>
    prisma.$transaction((tx) => {
      const entry = effects.get(name) as EffectEntry;
      const ctx: EffectContext = { tx, communityId, chatAccountId, conversationId: 'c', locale: 'zh-CN', chat: 'private', ...extra };
      return typeof entry === 'function' ? entry(ctx, args) : entry.run(ctx, args);
    });

  it('a lock is told in the community’s local time, with the minutes left', async () => {
    const account = await seedAccount(prisma, communityId);
    const results: Json[] = [];
    for (let i = 0; i < 5; i++) {
      clock = new Date(Date.UTC(2026, 5, 1, 6, i));
      results.push(await run('identity_check_code', account, { code: 'WXYZ-2345' }));
    }
    expect(results[0]).toEqual({ status: 'invalid', tries: 4 });
    // The 5th at 06:04 UTC locks until 06:19 UTC: 14:19 in Shanghai.
    expect(results[4]).toEqual({ status: 'locked', until: '14:19', minutes: 15 });
    clock = new Date(Date.UTC(2026, 5, 1, 6, 10, 30));
    expect(await run('identity_bind_status', account)).toEqual({ status: 'locked', until: '14:19', minutes: 9 });
  });

  it('a stored binding result holds no name; who am I says it in the person’s language', async () => {
    clock = new Date('2026-06-02T06:00:00Z');
    const family = await seedHousehold(prisma, communityId, [{ name: '张三' }]);
    await prisma.roleAssignment.create({ data: { communityId, residentId: family.residentIds[0]!, role: 'representative' } });
    const { code } = await createInviteCode(prisma, { communityId, residentId: family.residentIds[0]!, actor: { kind: 'operator' }, now: clock });
    const account = await seedAccount(prisma, communityId, 'telegram');
    expect(await run('identity_check_code', account, { code })).toEqual({ status: 'bound' });
    expect(await run('identity_whoami', account, {}, { locale: 'en' })).toEqual({
      status: 'bound',
      name: '张三',
      address: family.address,
      roles: translator.t('en', 'community.role.representative'),
      platforms: 'Telegram',
      platform: 'Telegram',
    });
    expect(await run('identity_whoami', account)).toMatchObject({ roles: translator.t('zh-CN', 'community.role.representative') });
  });

  it('a household code lists the members for the person to pick, or says the code is gone', async () => {
    clock = new Date('2026-06-03T06:00:00Z');
    const family = await seedHousehold(prisma, communityId, [{ name: '李一' }, { name: '李二' }]);
    const { code } = await createInviteCode(prisma, { communityId, householdId: family.householdId, actor: { kind: 'operator' }, now: clock });
    const account = await seedAccount(prisma, communityId);
    expect(await run('identity_check_code', account, { code })).toEqual({ status: 'household' });
    expect(await run('identity_household', account, { code })).toEqual({
      status: 'ok',
      address: family.address,
      members: [
        { value: family.residentIds[0], label: '李一' },
        { value: family.residentIds[1], label: '李二' },
      ],
    });
    expect(await run('identity_bind_member', account, { code, member: family.residentIds[1]! })).toEqual({ status: 'bound' });
    expect(await run('identity_household', account, { code })).toMatchObject({ status: 'used', members: [] });
  });

  it('nothing is bound, requested, unbound or removed from a group chat', async () => {
    const account = await seedAccount(prisma, communityId);
    for (const [name, args] of [
      ['identity_check_code', { code: 'ABCD-EFGH' }],
      ['identity_request_binding', { name: '甲', address: '乙', phone: '13800138000' }],
      ['identity_unbind', {}],
      ['identity_remove_me', {}],
      ['identity_my_data', {}],
    ] as const) {
      await expect(run(name, account, args, { chat: 'group' }), name).rejects.toThrow(/private/);
    }
    expect(await prisma.bindingRequest.count({ where: { chatAccountId: account } })).toBe(0);
  });
});

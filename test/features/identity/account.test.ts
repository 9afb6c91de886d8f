/**
 * "Who am I" shows the person their own name, address, current roles and bound platforms;
 * unbinding unbinds this account only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../../../src/db/prisma-types.js';
import { accountSummary, unbindAccount } from '../../../src/features/identity/account.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { seedAccount, seedHousehold, seedStaff } from './support/seed.js';
import { seedCommunity } from '../../support/community.js';

const DAY = 24 * 60 * 60_000;

describe.each(databaseTargets())('accounts on %s', (target) => {
  let db: TestDatabase;
  let prisma: PrismaClient;
  let communityId: string;
  beforeAll(async () => {
    db = await createTestDatabase(target);
    prisma = db.prisma;
    communityId = (await seedCommunity(prisma)).id;
  });
  afterAll(() => db?.close());

  const bind = (chatAccountId: string, residentId: string) =>
    prisma.chatAccount.update({ where: { id: chatAccountId }, data: { residentId, boundAt: new Date() } });

  it('a visitor is a visitor, on their channel', async () => {
    const account = await seedAccount(prisma, communityId, 'wechat');
    expect(await accountSummary(prisma, account)).toEqual({ status: 'visitor', channel: 'wechat' });
  });

  it('a resident sees name, address, current roles only, and every platform bound', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '张三' }, { name: '李四' }]);
    const zhang = household.residentIds[0]!;
    await prisma.roleAssignment.createMany({
      data: [
        { communityId, residentId: zhang, role: 'representative' },
        { communityId, residentId: zhang, role: 'liaison', endsOn: new Date(Date.now() - DAY) },
        { communityId, residentId: zhang, role: 'patrol', startsOn: new Date(Date.now() + DAY) },
      ],
    });
    const [web, telegram] = [await seedAccount(prisma, communityId, 'web'), await seedAccount(prisma, communityId, 'telegram')];
    await bind(web, zhang);
    await bind(telegram, zhang);
    await bind(await seedAccount(prisma, communityId, 'wechat'), household.residentIds[1]!);
    expect(await accountSummary(prisma, web)).toEqual({
      status: 'bound',
      residentId: zhang,
      name: '张三',
      address: household.address,
      roles: ['representative'],
      channel: 'web',
      channels: ['telegram', 'web'],
    });
  });

  it('staff who live elsewhere have no address', async () => {
    const staff = await seedStaff(prisma, communityId, 'committee');
    const account = await seedAccount(prisma, communityId, 'telegram');
    await bind(account, staff);
    expect(await accountSummary(prisma, account)).toMatchObject({ status: 'bound', address: null, roles: ['committee'], channels: ['telegram'] });
  });

  it('unbinding unbinds this account only, and is audited', async () => {
    const household = await seedHousehold(prisma, communityId, [{ name: '王五' }]);
    const wang = household.residentIds[0]!;
    const [web, telegram] = [await seedAccount(prisma, communityId, 'web'), await seedAccount(prisma, communityId, 'telegram')];
    await bind(web, wang);
    await bind(telegram, wang);
    expect(await prisma.$transaction((tx) => unbindAccount(tx, communityId, web))).toEqual({ status: 'unbound' });
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: web } })).residentId).toBeNull();
    expect((await prisma.chatAccount.findUniqueOrThrow({ where: { id: telegram } })).residentId).toBe(wang);
    expect(await accountSummary(prisma, telegram)).toMatchObject({ channels: ['telegram'] });
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { communityId, action: 'account.unbind', subjectId: wang } });
    expect(audit).toMatchObject({ actorId: wang, via: 'chat', details: { chatAccountId: web } });
    expect(await prisma.$transaction((tx) => unbindAccount(tx, communityId, web))).toEqual({ status: 'visitor' });
  });
});

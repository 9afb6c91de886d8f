/**
 * "What do you hold about me?": everything about the person, nothing about anyone else, and a
 * chat message in both languages built from locale keys.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import { myDataSummary } from '../../../src/features/privacy/my-data.js';
import { myDataLines, renderMyData } from '../../../src/features/privacy/my-data-lines.js';
import { revealPhone } from '../../../src/features/privacy/reveal-phone.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../../support/database.js';
import { A1_ADDRESS, PEOPLE, seedPolicyCommunity, type SeededCommunity } from '../policy/support/seed-community.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));
const DAY = 24 * 60 * 60 * 1000;

describe.each(databaseTargets())('myDataSummary on %s', (target) => {
  let db: TestDatabase;
  let s: SeededCommunity;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    s = await seedPolicyCommunity(db.prisma);
    // Zhang once asked to be bound from his web account; the request was approved.
    await db.prisma.bindingRequest.create({
      data: {
        communityId: s.communityId,
        number: 17,
        chatAccountId: s.accounts.zhangWeb,
        name: PEOPLE.zhang.name,
        address: A1_ADDRESS,
        phone: PEOPLE.zhang.phone,
        status: 'approved',
        residentId: s.residents.zhang,
        createdAt: new Date(s.now.getTime() - 11 * DAY),
      },
    });
    // Someone else's request, from the visitor account: never Zhang's business.
    await db.prisma.bindingRequest.create({
      data: { communityId: s.communityId, number: 18, chatAccountId: s.accounts.visitor, name: '陌生人', address: '别处', phone: '13000009999' },
    });
    // Two reveals of Zhang's number (the steward, then a refused attempt by Zhao) and one of Li's.
    const steward = (await loadActor(db.prisma, { residentId: s.residents.steward }, { now: s.now }))!;
    const zhao = (await loadActor(db.prisma, { residentId: s.residents.zhao }, { now: s.now }))!;
    await revealPhone(db.prisma, { actor: steward, residentId: s.residents.zhang, communityId: s.communityId, now: s.now });
    await revealPhone(db.prisma, { actor: zhao, residentId: s.residents.zhang, communityId: s.communityId, now: s.now });
    await revealPhone(db.prisma, { actor: steward, residentId: s.residents.li, communityId: s.communityId, now: s.now });
  });
  afterAll(() => db.close());

  it('holds everything about the person', async () => {
    const summary = await myDataSummary(db.prisma, s.residents.zhang, { now: s.now });
    expect(summary).toEqual({
      residentId: s.residents.zhang,
      person: { name: PEOPLE.zhang.name, phone: PEOPLE.zhang.phone, birthYear: PEOPLE.zhang.birthYear, locale: 'zh-CN' },
      household: { code: 'A1', address: A1_ADDRESS, areaPath: '平房区/团结巷/3号院', flags: ['elderly'] },
      group: { code: 'GA', isHead: true },
      alsoHeads: null,
      roles: [],
      chatAccounts: [
        { channel: 'web', boundAt: expect.any(Date) },
        { channel: 'telegram', boundAt: expect.any(Date) },
      ],
      bindingRequests: [
        { number: 17, status: 'approved', createdAt: expect.any(Date), name: PEOPLE.zhang.name, address: A1_ADDRESS, phone: PEOPLE.zhang.phone },
      ],
      phoneReveals: 1,
    });
  });

  it("holds nothing about anyone else: not the housemate, not the group's other households", async () => {
    const text = JSON.stringify(await myDataSummary(db.prisma, s.residents.zhang, { now: s.now }));
    for (const other of [PEOPLE.li, PEOPLE.wang, PEOPLE.zhao, PEOPLE.steward]) {
      expect(text).not.toContain(other.name);
      expect(text).not.toContain(other.phone);
    }
    for (const foreign of ['陌生人', '13000009999', 'A2', 'A3', 'B1', s.residents.li, s.residents.steward]) expect(text).not.toContain(foreign);
  });

  it('lists every role with its term: current, ended and not yet begun', async () => {
    const summary = (await myDataSummary(db.prisma, s.residents.steward, { now: s.now }))!;
    expect(summary.household).toBeNull();
    expect(summary.group).toBeNull();
    expect(summary.roles.map((role) => [role.role, role.areaPath, role.term])).toEqual([
      ['committee', null, 'ended'],
      ['steward', '平房区/团结巷', 'current'],
      ['admin', null, 'upcoming'],
    ]);
    expect(summary.chatAccounts).toEqual([{ channel: 'wechat', boundAt: expect.any(Date) }]);
  });

  it('renders the summary as a chat message in zh-CN and English, values and labels resolved', async () => {
    const zhang = (await myDataSummary(db.prisma, s.residents.zhang, { now: s.now }))!;
    const lines = myDataLines(zhang, { timeZone: 'Asia/Shanghai' });
    expect(lines[0]).toEqual({ key: 'privacy.mydata.title', vars: {} });
    expect(lines).toContainEqual({ key: 'privacy.mydata.group_head', vars: { code: 'GA' } });
    expect(lines).toContainEqual({ key: 'privacy.mydata.phone_reveals', vars: { count: 1 } });

    const zh = renderMyData(lines, (key, vars) => translator.t('zh-CN', key, vars));
    expect(zh).toContain(`姓名：${PEOPLE.zhang.name}`);
    expect(zh).toContain(`电话：${PEOPLE.zhang.phone}`);
    expect(zh).toContain('出生年份：1950');
    expect(zh).toContain(`住户：A1，${A1_ADDRESS}（平房区/团结巷/3号院）`);
    expect(zh).toContain('照顾类别：老年');
    expect(zh).toContain('十户联包小组：GA（您是十户长）');
    expect(zh).toContain('已绑定账号：网页聊天，绑定日期2026-05-22');
    expect(zh).toContain('已绑定账号：Telegram');
    expect(zh).toContain('绑定申请17号（2026-05-21，已批准）');
    expect(zh).toContain('工作人员查看您完整电话号码的次数：1');
    expect(zh).not.toMatch(/\{\{|privacy\./);

    const steward = (await myDataSummary(db.prisma, s.residents.steward, { now: s.now }))!;
    const en = renderMyData(myDataLines(steward, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('en', key, vars));
    expect(en).toContain('Household: not recorded');
    expect(en).toContain('Role: area steward (平房区/团结巷), term 2025-06-01 to 2028-05-01 (serving)');
    expect(en).toContain('Role: committee member, term');
    expect(en).toContain('(ended)');
    expect(en).toContain('Role: administrator, term 2026-07-01 to open-ended (not begun yet)');
    expect(en).toContain('Linked account: WeChat');
    expect(en).not.toMatch(/\{\{|privacy\./);
  });

  it('says what is not recorded, lists skills and several flags with the locale separator', async () => {
    const plumber = (await myDataSummary(db.prisma, s.residents.plumber, { now: s.now }))!;
    const bare = { ...plumber, person: { ...plumber.person, phone: null, birthYear: null, locale: null } };
    const zh = renderMyData(myDataLines(bare, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('zh-CN', key, vars));
    expect(zh).toContain('电话：未登记');
    expect(zh).toContain('出生年份：未登记');
    expect(zh).toContain('登记技能：水暖');
    const flagged = { ...plumber, household: { code: 'X', address: 'x', areaPath: 'p', flags: ['elderly', 'disabled', 'unknown_flag'] } };
    expect(renderMyData(myDataLines(flagged, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('zh-CN', key, vars))).toContain(
      '照顾类别：老年、残疾、unknown_flag',
    );
    expect(renderMyData(myDataLines(flagged, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('en', key, vars))).toContain(
      'Priority care: elderly, disabled, unknown_flag',
    );
  });

  it('answers null for nobody', async () => {
    expect(await myDataSummary(db.prisma, 'no-such-resident')).toBeNull();
  });
});

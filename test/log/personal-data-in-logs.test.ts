/**
 * Phone numbers, names and addresses never reach the logs: the code paths that handle them
 * (revealing a phone, "my data", removing a person) run against a real database with a logger at
 * debug writing into memory, and careless log calls are caught by the logger's redaction. The
 * test/process/log-privacy.test.ts covers the whole app's output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Actor } from '../../src/features/policy/actor.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { PolicyDeniedError } from '../../src/features/policy/policy.js';
import { myDataSummary } from '../../src/features/privacy/my-data.js';
import { myDataLines, renderMyData } from '../../src/features/privacy/my-data-lines.js';
import { removeResident } from '../../src/features/privacy/remove-resident.js';
import { revealPhone } from '../../src/features/privacy/reveal-phone.js';
import { loadTranslator } from '../../src/i18n/translator.js';
import { createLogger, type Logger } from '../../src/log/logger.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { A1_ADDRESS, PEOPLE, seedPolicyCommunity, type SeededCommunity } from '../features/policy/support/seed-community.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));

/** A logger at debug level that keeps every line it writes. */
function capturedLogger(): { log: Logger; output: () => string } {
  const lines: string[] = [];
  const log = createLogger('debug', { write: (line: string) => void lines.push(line) });
  return { log, output: () => lines.join('') };
}

const SECRETS = [...Object.values(PEOPLE).flatMap((person) => [person.name, person.phone]), A1_ADDRESS, '楼寓5号楼301'];

describe.each(databaseTargets())('personal data in logs on %s', (target) => {
  let db: TestDatabase;
  let s: SeededCommunity;
  const actor = async (residentId: string): Promise<Actor> => (await loadActor(db.prisma, { residentId }, { now: s.now }))!;

  beforeAll(async () => {
    db = await createTestDatabase(target);
    s = await seedPolicyCommunity(db.prisma);
  });
  afterAll(() => db.close());

  it('stays out of what revealing, summarising and removing log, at debug level', async () => {
    const { log, output } = capturedLogger();
    // A roster-like arrival: a household and a person with name, phone and address.
    const household = await db.prisma.household.create({
      data: { communityId: s.communityId, code: 'N1', address: '团结巷3号院9号', areaId: s.areas.courtA },
    });
    const newcomer = await db.prisma.resident.create({
      data: { communityId: s.communityId, householdId: household.id, name: '新来的', phone: '15011112222', birthYear: 1999 },
    });
    log.debug({ householdId: household.id, residentId: newcomer.id }, 'resident created');

    const steward = await actor(s.residents.steward);
    expect(await revealPhone(db.prisma, { actor: steward, residentId: newcomer.id, communityId: s.communityId, now: s.now, log })).toEqual({
      ok: true,
      phone: '15011112222',
    });
    expect(await revealPhone(db.prisma, { actor: steward, residentId: s.residents.zhao, communityId: s.communityId, now: s.now, log })).toMatchObject({ ok: false });

    const summary = (await myDataSummary(db.prisma, s.residents.zhang, { now: s.now }))!;
    const message = renderMyData(myDataLines(summary, { timeZone: 'Asia/Shanghai' }), (key, vars) => translator.t('zh-CN', key, vars));
    expect(message).toContain(PEOPLE.zhang.phone);
    log.debug({ residentId: s.residents.zhang, lines: message.split('\n').length }, 'my data shown');

    const zhang = await actor(s.residents.zhang);
    await db.prisma.$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.zhang, actor: zhang, now: s.now, log }));
    const li = await actor(s.residents.li);
    try {
      await db.prisma.$transaction((tx) => removeResident(tx, { communityId: s.communityId, residentId: s.residents.wang, actor: li, now: s.now, log }));
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyDeniedError);
      log.info({ err: { name: (error as Error).name, message: (error as Error).message } }, 'removal refused');
    }

    const written = output();
    // Worth something only if those paths did write, with their ids.
    expect(written).toMatch(/"level":20\b/);
    for (const event of ['phone revealed', 'phone reveal refused', 'resident removed', 'removal refused']) expect(written).toContain(event);
    expect(written).toContain(newcomer.id);
    expect(written).toContain('"name":"PolicyDeniedError"');
    for (const secret of [...SECRETS, '新来的', '15011112222', '团结巷3号院9号']) expect(written).not.toContain(secret);
  });

  it('redacts personal fields that careless code logs, at any depth it is likely to use', () => {
    const { log, output } = capturedLogger();
    const zhao = PEOPLE.zhao;
    log.debug({ name: zhao.name, phone: zhao.phone, address: '楼寓5号楼301', text: `我是${zhao.name}` }, 'flat');
    log.debug({ resident: { name: zhao.name, phone: zhao.phone, birthYear: zhao.birthYear } }, 'nested person');
    log.debug({ household: { address: '楼寓5号楼301' }, input: { message: { text: zhao.phone } } }, 'nested deeper');
    log.debug({ rows: [{ memberName: zhao.name, phone: zhao.phone }], members: [{ name: zhao.name }] }, 'arrays');
    log.debug({ request: { requester: { name: zhao.name }, mobile: zhao.phone } }, 'request');
    log.info({ address: 'http://127.0.0.1:3000', err: { name: 'TypeError', message: 'boom' } }, 'ready');

    const written = output();
    for (const event of ['flat', 'nested person', 'nested deeper', 'arrays', 'request', 'ready']) expect(written).toContain(event);
    for (const secret of [zhao.name, zhao.phone, '楼寓5号楼301', String(zhao.birthYear)]) expect(written).not.toContain(secret);
    // Not personal: the listening address and an error's class name stay readable.
    expect(written).toContain('"address":"http://127.0.0.1:3000"');
    expect(written).toContain('"name":"TypeError"');
  });
});

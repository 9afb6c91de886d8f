/**
 * What people typed reaches the operator's terminal without anything that could steer it:
 * escape sequences, carriage returns and bidi overrides are dropped, line breaks and every
 * printable character (Chinese, emoji) kept — in `terminalText` itself, and in what
 * `linli binding list` and `linli tickets list|show` print of a request and a ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLinli } from '../../src/cli/linli-run.js';
import { terminalText } from '../../src/cli/terminal-text.js';
import { createBindingRequest } from '../../src/features/identity/binding-requests.js';
import { createTestDatabase, databaseTargets, type TestDatabase } from '../support/database.js';
import { file, seedInboxWorld, type InboxWorld } from '../staff-web/inbox/support.js';

/** Anything a terminal would act on rather than show. */
const STEERING = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

describe('terminalText', () => {
  it('drops escape sequences’ control bytes, bells, backspaces, DEL and C1 controls', () => {
    expect(terminalText('张三\u001b]0;pwned\u0007丰')).toBe('张三]0;pwned丰');
    expect(terminalText('a\u001b[2Jb\u0008c\u007fd\u009b31me')).toBe('a[2Jbcd31me');
    expect(terminalText('\u0000tab\there')).toBe('tabhere');
  });

  it('turns carriage returns into line breaks, so nothing overwrites what was printed', () => {
    expect(terminalText('first\rsecond\r\nthird\nfourth')).toBe('first\nsecond\nthird\nfourth');
  });

  it('drops bidi overrides, embeddings, isolates and marks', () => {
    expect(terminalText('file\u202Etxt.exe\u202C')).toBe('filetxt.exe');
    expect(terminalText('\u2066a\u2067b\u2068c\u2069\u200E\u200F\u061C')).toBe('abc');
  });

  it('keeps what is printable as it is', () => {
    const text = '团结巷3号院 — 厨房漏水 😀 (No. 2)\n第二行';
    expect(terminalText(text)).toBe(text);
    expect(terminalText('')).toBe('');
  });
});

describe.each(databaseTargets())('what linli prints of typed text on %s', (target) => {
  let db: TestDatabase;
  let w: InboxWorld;
  let slug: string;

  const linli = async (args: string[]): Promise<{ code: number; stdout: string }> => {
    let stdout = '';
    const code = await runLinli(args, {
      env: { LINLI_LOCALE: 'zh-CN', COMMUNITY_SLUG: slug, COMMUNITY_TIMEZONE: 'Asia/Shanghai' },
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => undefined },
      database: db,
      clock: () => w.now,
    });
    return { code, stdout };
  };

  beforeAll(async () => {
    db = await createTestDatabase(target);
    w = await seedInboxWorld(db.prisma);
    slug = (await db.prisma.community.findUniqueOrThrow({ where: { id: w.communityId }, select: { slug: true } })).slug;
  });
  afterAll(() => db?.close());

  it('binding list: a name and an address typed with escape sequences and overrides', async () => {
    const account = await db.prisma.chatAccount.create({ data: { communityId: w.communityId, channel: 'web', externalId: `steer-${slug}` } });
    await db.prisma.$transaction((tx) =>
      createBindingRequest(tx, { communityId: w.communityId, chatAccountId: account.id, name: '路人\u001b[2J甲', address: '不\u202E知道\r覆盖', phone: '13000001234' }),
    );
    const run = await linli(['binding', 'list']);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(STEERING);
    expect(run.stdout).toContain('路人[2J甲');
    expect(run.stdout).toContain('不知道\n覆盖');
  });

  it('tickets list and show: a description with escape sequences', async () => {
    const ticket = await file(db.prisma, w, w.residents.zhang, { at: w.now, description: '厨房\u001b]0;x\u0007漏水\u202E了', place: '楼道\u001b[1A' });
    const list = await linli(['tickets', 'list']);
    const show = await linli(['tickets', 'show', ticket.number]);
    expect(show.code).toBe(0);
    for (const out of [list.stdout, show.stdout]) expect(out).not.toMatch(STEERING);
    expect(show.stdout).toContain('厨房]0;x漏水了');
  });
});

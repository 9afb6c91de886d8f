/**
 * A feature added by one line: the test's own notes feature (test/example-feature/) joins the
 * app's features, its flow the project's flows and its words the project's locales. A person runs
 * its flow end to end through the web chat; its effect writes in the conversation's transaction
 * and its listener hears the event there.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../conversation/support/test-locales.js';
import { notesFeature, NOTE_KEPT_ACTION, type HeardNote } from '../example-feature/notes-module.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';

const FEATURE = join(ROOT, 'test/example-feature');

/** The project's flows with the feature's flow beside them. */
function flowsWithExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linli-flows-'));
  for (const file of readdirSync(join(ROOT, 'flows')).filter((name) => name.endsWith('.yaml'))) cpSync(join(ROOT, 'flows', file), join(dir, file));
  cpSync(join(FEATURE, 'example_notes.yaml'), join(dir, 'example_notes.yaml'));
  return dir;
}

/** The project's locales with the feature's words added. */
function localesWithExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linli-locales-'));
  const added = JSON.parse(readFileSync(join(FEATURE, 'locales.json'), 'utf8')) as Record<string, object>;
  for (const [locale, words] of Object.entries(added)) {
    const catalog = JSON.parse(readFileSync(join(ROOT, 'locales', `${locale}.json`), 'utf8')) as object;
    writeFileSync(join(dir, `${locale}.json`), JSON.stringify({ ...catalog, ...words }));
  }
  return dir;
}

describe.each(databaseTargets())('a feature added to the list, on %s', (target) => {
  let t: TestApp;
  const heard: HeardNote[] = [];

  beforeAll(async () => {
    t = await startTestApp(target, {}, undefined, {
      flowsDir: flowsWithExample(),
      localesDir: localesWithExample(),
      extraFeatures: [notesFeature(heard)],
    });
  });
  afterAll(() => t?.close());

  it('runs its flow through the web chat: its effect writes, its listener hears it in that transaction', async () => {
    const person = new WebPerson(t.app);
    const [ask] = await person.ask('/memo');
    expect(ask!.text).toBe('请写下留言。');
    const replies = await person.ask('三号楼的灯坏了');
    expect(replies[0]!.text).toBe('留言已收到，这是您的第1条。');

    const rows = await t.app.database.prisma.auditLog.findMany({ where: { communityId: t.app.communityId, action: NOTE_KEPT_ACTION } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toEqual({ length: 7 });
    expect(heard).toEqual([{ auditId: rows[0]!.id, rowInTransaction: true }]);
  });
});

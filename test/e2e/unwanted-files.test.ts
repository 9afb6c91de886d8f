/**
 * A file a resident sends where nothing asked for one: they are told, in their language, what the
 * bot can take, and the file stored on arrival is not kept (a stranger's files would otherwise
 * fill the disk for good). A file a handler did take (a notice's attachment) is tested with it.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFileName, documentPath, storeDocument } from '../../src/channels/media/document-files.js';
import { startTestApp, WebPerson, type TestApp } from '../support/app.js';
import { databaseTargets } from '../support/database.js';
import { samplePdf } from '../support/documents.js';
import { waitFor } from '../support/wait-for.js';

describe.each(databaseTargets())('a file nobody asked for on %s', (target) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(target);
  }, 120_000);
  afterAll(() => t?.close());

  it('answers what the bot can take and deletes the stored file', async () => {
    const dataDir = t.app.config.DATA_DIR;
    const bytes = samplePdf('私人文件');
    const ref = await storeDocument(dataDir, bytes, 'application/pdf');
    const path = documentPath(dataDir, documentFileName(ref)!);
    expect(existsSync(path)).toBe(true);

    const person = new WebPerson(t.app);
    await person.ask('你好');
    const before = (await person.received()).length;
    await person.send({ kind: 'document', document: { ref, mime: 'application/pdf', bytes: bytes.length, name: '私人文件.pdf' } });
    const replies = (await person.waitForMessages(before + 1)).slice(before);
    expect(replies.map((r) => r.text).join('\n')).toContain('我暂时只能看懂文字和照片');
    await waitFor(() => !existsSync(path), 'the unwanted file deleted');
  });
});

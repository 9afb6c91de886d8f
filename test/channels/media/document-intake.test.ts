/**
 * The document intake: a file is what its bytes say (PDF, Word, Excel, a photo), never what its
 * name or claimed type says; over the limit nothing is stored; what is stored is owner-only
 * under files/ with a random name, and shown under the sender's name made safe.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition, documentDisplayName, documentFileName, refForDocumentFile, sniffDocumentMime, storeDocument } from '../../../src/channels/media/document-files.js';
import { takeDocumentBytes, takeDocumentStream } from '../../../src/channels/media/document-intake.js';
import { fakeJpeg } from '../../fakes/telegram-bot-api/index.js';
import { plainZip, renamedProgram, sampleDocx, samplePdf, sampleXlsx } from '../../support/documents.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'linli-documents-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('what a file is', () => {
  it('reads PDF, Word, Excel and photos from their bytes', async () => {
    expect(sniffDocumentMime(samplePdf())).toBe('application/pdf');
    expect(sniffDocumentMime(sampleDocx())).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(sniffDocumentMime(await sampleXlsx())).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sniffDocumentMime(fakeJpeg())).toBe('image/jpeg');
  });

  it('knows nothing else: a ZIP of other things, a program, text', () => {
    expect(sniffDocumentMime(plainZip())).toBeUndefined();
    expect(sniffDocumentMime(renamedProgram())).toBeUndefined();
    expect(sniffDocumentMime(Buffer.from('just some words'))).toBeUndefined();
  });
});

describe('taking a file in', () => {
  const options = { maxBytes: 50_000, fallbackName: '附件' };

  it('stores an allowed file under files/ with a random name, owner-only, named after what it is', async () => {
    const pdf = samplePdf();
    const taken = await takeDocumentBytes(pdf, { ...options, dataDir, name: '停水通知.PDF' });
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(taken.document).toMatchObject({ mime: 'application/pdf', bytes: pdf.length, name: '停水通知.pdf' });
    expect(taken.document.ref).toMatch(/^files\/[a-f0-9]{32}\.pdf$/);
    const path = join(dataDir, taken.document.ref);
    expect(await readFile(path)).toEqual(pdf);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('names a file by its bytes: a Word file called .pdf is a .docx', async () => {
    const taken = await takeDocumentBytes(sampleDocx(), { ...options, dataDir, name: 'minutes.pdf' });
    expect(taken.ok && taken.document).toMatchObject({ name: 'minutes.docx', ref: expect.stringMatching(/\.docx$/) });
  });

  it('refuses a program called .pdf and a file over the limit, storing nothing', async () => {
    const before = await readdir(join(dataDir, 'files'));
    expect(await takeDocumentBytes(renamedProgram(), { ...options, dataDir, name: 'form.pdf' })).toMatchObject({ ok: false, refusal: 'not_allowed' });
    expect(await takeDocumentBytes(Buffer.concat([samplePdf(), Buffer.alloc(60_000)]), { ...options, dataDir })).toMatchObject({ ok: false, refusal: 'too_large' });
    async function* endless() {
      for (;;) yield Buffer.alloc(16_384, 0x25);
    }
    expect(await takeDocumentStream(endless(), { ...options, dataDir })).toMatchObject({ ok: false, refusal: 'too_large' });
    expect(await readdir(join(dataDir, 'files'))).toEqual(before);
  });

  it('shows a safe name: no folders or control characters, bounded, the fallback when nothing is left', () => {
    expect(documentDisplayName('../../etc/passwd', 'application/pdf', '附件')).toBe('passwd.pdf');
    // A lone surrogate from a broken name is dropped, so the name fits in a link and a header.
    const broken = documentDisplayName('通知\uD800.pdf', 'application/pdf', '附件');
    expect(broken).toBe('通知.pdf');
    expect(() => encodeURIComponent(broken)).not.toThrow();
    expect(documentDisplayName('C:\\报表\\十一月.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', '附件')).toBe('十一月.xlsx');
    expect(documentDisplayName('a\u0000b\nc?.pdf', 'application/pdf', '附件')).toBe('abc.pdf');
    expect(documentDisplayName('...', 'application/pdf', '附件')).toBe('附件.pdf');
    expect(documentDisplayName(undefined, 'image/png', '附件')).toBe('附件.png');
    expect([...documentDisplayName('长'.repeat(200), 'application/pdf', '附件')]).toHaveLength(80);
  });

  it('serves only what it stored, and downloads under the UTF-8 name', async () => {
    const ref = await storeDocument(dataDir, samplePdf(), 'application/pdf');
    const file = documentFileName(ref)!;
    expect(refForDocumentFile(file)).toBe(ref);
    expect(documentFileName('uploads/0123456789abcdef0123456789abcdef.jpg')).toBeUndefined();
    expect(refForDocumentFile('../secret.pdf')).toBeUndefined();
    expect(attachmentDisposition('停水 "通知".pdf')).toBe(`attachment; filename="__ ____.pdf"; filename*=UTF-8''${encodeURIComponent('停水 "通知".pdf')}`);
  });
});

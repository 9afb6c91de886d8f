/**
 * Files the bot sends in the web chat: the message shows the file's name as a download link,
 * which this browser's session alone can follow (another session, no cookie, a name that is not
 * one of ours, a file gone from the disk: nothing), downloading under the name it was sent with.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDocument } from '../../../src/channels/media/document-files.js';
import { newBrowser, startWebChat, type WebChatHarness } from './web-chat-harness.js';
import { databaseTargets } from '../../support/database.js';
import { sampleXlsx } from '../../support/documents.js';

describe.each(databaseTargets())('web chat files (%s)', (target) => {
  let chat: WebChatHarness;
  beforeAll(async () => {
    chat = await startWebChat({ target });
  });
  afterAll(async () => {
    await chat.close();
  });

  const history = async (cookie: string) => (await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie } })).json().rows;

  it('shows the file under its name and downloads it for its recipient only', async () => {
    const recipient = newBrowser();
    const stranger = newBrowser();
    const xlsx = await sampleXlsx();
    const ref = await storeDocument(chat.dataDir, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await chat.channel.send(recipient.sessionId, { text: '十一月收支表', document: { ref, name: '十一月收支.xlsx' } });
    const rows = await history(recipient.cookie);
    expect(rows).toMatchObject([{ direction: 'out', text: '十一月收支表', documentName: '十一月收支.xlsx', documentUrl: `/chat/api/files/${ref.slice('files/'.length)}` }]);
    const url = rows[0].documentUrl as string;

    const mine = await chat.app.inject({ method: 'GET', url, headers: { cookie: recipient.cookie } });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mine.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('十一月收支.xlsx')}`);
    expect(mine.headers['x-content-type-options']).toBe('nosniff');
    expect(mine.rawPayload).toEqual(xlsx);

    expect((await chat.app.inject({ method: 'GET', url, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
    expect((await chat.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await chat.app.inject({ method: 'GET', url: '/chat/api/files/..%2F..%2Fetc%2Fpasswd', headers: { cookie: recipient.cookie } })).statusCode).toBe(404);
    // A photo's name is not a file's: the files route serves none of the uploads.
    expect((await chat.app.inject({ method: 'GET', url: '/chat/api/files/0123456789abcdef0123456789abcdef.jpg', headers: { cookie: recipient.cookie } })).statusCode).toBe(404);
  });

  it('answers 404 for a file gone from the disk', async () => {
    const recipient = newBrowser();
    const ref = await storeDocument(chat.dataDir, await sampleXlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await chat.channel.send(recipient.sessionId, { text: '', document: { ref, name: 'a.xlsx' } });
    await unlink(join(chat.dataDir, ref));
    const [row] = await history(recipient.cookie);
    expect((await chat.app.inject({ method: 'GET', url: row.documentUrl, headers: { cookie: recipient.cookie } })).statusCode).toBe(404);
  });
});

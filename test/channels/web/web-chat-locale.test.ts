/**
 * A bot message carries the language the person chose, so an open page switches its own words
 * (header, input, send button) the moment the person switches language, with no reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../support/database.js';
import { newBrowser, startWebChat, type WebChatHarness } from './web-chat-harness.js';

describe.each(databaseTargets())('the language of web chat messages (%s)', (target) => {
  let chat: WebChatHarness;
  const english = newBrowser();
  const undecided = newBrowser();

  beforeAll(async () => {
    chat = await startWebChat({ target, chosenLocale: async (sessionId) => (sessionId === english.sessionId ? 'en' : null) });
  });
  afterAll(async () => {
    await chat.close();
  });

  const history = async (cookie: string) => {
    const response = await chat.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie } });
    expect(response.statusCode).toBe(200);
    return response.json().rows as { direction: string; text?: string; locale?: string }[];
  };

  it('tags each bot message with the language the person chose', async () => {
    await chat.channel.send(english.sessionId, { text: 'OK, I will talk to you in English from now on.' });
    expect(await history(english.cookie)).toMatchObject([{ direction: 'out', locale: 'en' }]);
  });

  it('leaves the page in its language while the person has chosen none', async () => {
    await chat.channel.send(undecided.sessionId, { text: '您好' });
    const [row] = await history(undecided.cookie);
    expect(row).toMatchObject({ direction: 'out', text: '您好' });
    expect(row).not.toHaveProperty('locale');
  });

  it('follows the language a reply was written in, as its writer said, whatever the account says by the time it goes', async () => {
    const switched = newBrowser();
    const writtenIn = newBrowser();
    await chat.channel.send(switched.sessionId, { text: 'Now in English.' }, { outboxId: 'o-1', chosenLocale: 'en' });
    await chat.channel.send(writtenIn.sessionId, { text: '您好' }, { outboxId: 'o-2', chosenLocale: null });
    expect(await history(switched.cookie)).toMatchObject([{ direction: 'out', locale: 'en' }]);
    const [row] = await history(writtenIn.cookie);
    expect(row).toMatchObject({ direction: 'out', text: '您好' });
    expect(row).not.toHaveProperty('locale');
    // Written by one who chose English, as the account still says: the reply's own "none" wins.
    await chat.channel.send(english.sessionId, { text: '好的' }, { outboxId: 'o-3', chosenLocale: null });
    expect((await history(english.cookie)).at(-1)).not.toHaveProperty('locale');
  });
});

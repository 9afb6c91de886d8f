/**
 * What bench:telegram measures with: the fake handing a backlog out in batches, noting when each
 * update first went to the bot, and pairing each update with the replies that answer it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Telegraf, type Telegram } from 'telegraf';
import { attributeReplies, FakeTelegramBotApi, type HandOut, type SentMessage } from '../../fakes/telegram-bot-api/index.js';
import { waitFor } from '../../support/wait-for.js';

let fake: FakeTelegramBotApi | undefined;

async function startFake(): Promise<{ fake: FakeTelegramBotApi; api: Telegram }> {
  fake = await FakeTelegramBotApi.start({ rateLimits: false });
  return { fake, api: new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } }).telegram };
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('fake Bot API: a backlog and its hand-outs', () => {
  it('hands updates pushed while held out together, 100 at most per answer', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    const waiting = api.getUpdates(5, 100, 0, undefined);
    await waitFor(() => fake.pollWaiting, 'the long poll to wait');
    fake.holdUpdates(() => {
      for (let n = 0; n < 150; n += 1) fake.userSays(alice, alice, `t${n}`);
    });
    const first = await waiting;
    expect(first).toHaveLength(100);
    const rest = await api.getUpdates(0, 100, first.at(-1)!.update_id + 1, undefined);
    expect(rest).toHaveLength(50);
  });

  it('without holding, a waiting poller gets the first update alone', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    const waiting = api.getUpdates(5, 100, 0, undefined);
    await waitFor(() => fake.pollWaiting, 'the long poll to wait');
    fake.userSays(alice, alice, 'one');
    fake.userSays(alice, alice, 'two');
    expect(await waiting).toHaveLength(1);
  });

  it('notes when each update first went out, and for which chat; a repeat is not noted again', async () => {
    const { fake, api } = await startFake();
    const alice = fake.createUser();
    const group = fake.createGroup();
    fake.userSays(alice, alice, 'one');
    fake.userSays(group, alice, '/start');
    expect(fake.handOuts).toEqual([]);
    const before = Date.now();
    const updates = await api.getUpdates(0, 100, 0, undefined);
    // Not confirmed: handed out again, still noted once.
    await api.getUpdates(0, 100, 0, undefined);
    expect(fake.handOuts.map((h) => [h.updateId, h.chatId])).toEqual([
      [updates[0]!.update_id, alice.id],
      [updates[1]!.update_id, group.id],
    ]);
    for (const handOut of fake.handOuts) expect(handOut.at).toBeGreaterThanOrEqual(before);
  });
});

describe('attributing replies to updates', () => {
  const handOut = (updateId: number, chatId: number, at: number): HandOut => ({ updateId, chatId, at });
  const reply = (chatId: number, text: string, at: number): SentMessage => ({ method: 'sendMessage', chatId, messageId: at, text, at });

  it('pairs each chat’s updates with its next messages in order, as many as each causes', () => {
    const sent = new Map<number, SentMessage[]>([
      [1, [reply(1, 'a1', 110), reply(1, 'b1', 130), reply(1, 'b2', 150)]],
      [2, [reply(2, 'c1', 105)]],
    ]);
    const expected = new Map([
      [11, 1],
      [12, 2],
      [21, 1],
    ]);
    const result = attributeReplies(
      [handOut(11, 1, 100), handOut(21, 2, 100), handOut(12, 1, 120)],
      (chat) => sent.get(chat) ?? [],
      (h) => expected.get(h.updateId)!,
    );
    expect(result.unanswered).toBe(0);
    expect(result.extraReplies).toBe(0);
    expect(result.answered.map((a) => [a.updateId, a.nthOfChat, a.handedOutAt, a.firstReplyAt, a.lastReplyAt, a.replies.map((r) => r.text)])).toEqual([
      [11, 0, 100, 110, 110, ['a1']],
      [21, 0, 100, 105, 105, ['c1']],
      [12, 1, 120, 130, 150, ['b1', 'b2']],
    ]);
  });

  it('counts updates short of their replies and messages beyond what was expected', () => {
    const sent = new Map<number, SentMessage[]>([
      [1, [reply(1, 'only one', 110)]],
      [2, [reply(2, 'x', 105), reply(2, 'surplus', 106)]],
    ]);
    const result = attributeReplies(
      [handOut(11, 1, 100), handOut(21, 2, 100)],
      (chat) => sent.get(chat) ?? [],
      (h) => (h.chatId === 1 ? 2 : 1),
    );
    expect(result.answered.map((a) => a.updateId)).toEqual([21]);
    expect(result.unanswered).toBe(1);
    expect(result.extraReplies).toBe(1);
  });

  it('skips the messages that answered earlier updates', () => {
    const sent = [reply(1, 'old', 50), reply(1, 'new', 130)];
    const result = attributeReplies([handOut(12, 1, 120)], () => sent, () => 1, () => 1);
    expect(result.answered.map((a) => a.replies.map((r) => r.text))).toEqual([['new']]);
    expect(result.extraReplies).toBe(0);
  });
});

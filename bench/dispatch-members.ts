/**
 * The service team of `npm run bench:dispatch` on the fake Bot API: each member answers every
 * offer that reaches their private chat by pressing its ✅接单 or ❌不接 button (the labels read
 * from locales/zh-CN.json), the moment the fake accepts it or after `answerDelayMs`. Whether a
 * member declines a job is drawn once per (job, member) from a fixed seed, `declineShare` of the
 * time, so a run can be repeated. A declined job goes to the next member; an emergency goes to
 * every member at once, and several of them press ✅接单.
 *
 * What is kept: each offer's arrival (job number, member, when the fake accepted it), each
 * press, and which member was told "您已接下<number>" (they hold the job) — the bench checks
 * that no job was ever told to two members.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FakeTelegramBotApi, FakeUser, SentMessage } from '../test/fakes/telegram-bot-api/index.js';

export const REPAIR_NUMBER = /BX-\d{4}-\d{5,}/;

/** How often the watch stops to see whether it should end. */
const LOOK_AGAIN_MS = 1_000;

interface Words {
  offerNew: string;
  offerEmergency: string;
  accept: string;
  decline: string;
  accepted: string;
}

/** The texts the members recognise, from the zh-CN locale (the part before the first placeholder). */
function memberWords(): Words {
  const locale = JSON.parse(readFileSync(fileURLToPath(new URL('../locales/zh-CN.json', import.meta.url)), 'utf8')) as {
    dispatch: { offer: { new: string; emergency: string; accept: string; decline: string } };
    flows: { job_accept: { accepted: string } };
  };
  const head = (text: string) => text.split('{{')[0]!;
  const { offer } = locale.dispatch;
  return { offerNew: head(offer.new), offerEmergency: head(offer.emergency), accept: offer.accept, decline: offer.decline, accepted: head(locale.flows.job_accept.accepted) };
}

export interface OfferSeen {
  number: string;
  memberUserId: number;
  emergency: boolean;
  /** When the fake accepted the offer's message, epoch ms. */
  at: number;
  answer: 'accept' | 'decline';
  /** Which of this member's updates the press is (0: their first). */
  update: number;
}

/** A member told they hold a job. */
export interface HoldSeen {
  number: string;
  memberUserId: number;
  at: number;
}

/**
 * A number in [0, 1) fixed by the text: the same job and member decide the same way in every run.
 * A cryptographic hash, so that texts differing in one digit (two members, one job) draw apart.
 */
function draw(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export class AnsweringMembers {
  readonly offers: OfferSeen[] = [];
  readonly holds: HoldSeen[] = [];
  private readonly words = memberWords();
  private readonly byChat = new Map<number, { user: FakeUser; updates: number }>();
  private cursor: number;
  private stopped = false;
  private watching: Promise<void> | undefined;

  constructor(
    private readonly fake: FakeTelegramBotApi,
    users: readonly FakeUser[],
    private readonly declineShare: number,
    private readonly answerDelayMs: number,
  ) {
    for (const user of users) this.byChat.set(user.id, { user, updates: 0 });
    this.cursor = fake.sent.all.length;
  }

  /** Starts answering offers as they arrive (until `stop`). */
  start(): void {
    const look = (all: readonly SentMessage[]) => {
      for (; this.cursor < all.length; this.cursor += 1) this.receive(all[this.cursor]!);
      return this.stopped;
    };
    this.watching = (async () => {
      while (!this.stopped) await this.fake.sent.until(look, LOOK_AGAIN_MS).catch(() => undefined);
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.watching;
  }

  /** The hand-out time of each member's presses, in order, from the fake's log. */
  pressHandOuts(): Map<number, number[]> {
    const times = new Map<number, number[]>();
    for (const handOut of this.fake.handOuts) {
      if (handOut.chatId === undefined || !this.byChat.has(handOut.chatId)) continue;
      const list = times.get(handOut.chatId) ?? [];
      list.push(handOut.at);
      times.set(handOut.chatId, list);
    }
    return times;
  }

  private receive(message: SentMessage): void {
    const member = this.byChat.get(message.chatId);
    if (!member || message.method === 'editMessageText') return;
    const text = message.text ?? '';
    const number = REPAIR_NUMBER.exec(text)?.[0];
    if (!number) return;
    if (text.startsWith(this.words.accepted)) {
      this.holds.push({ number, memberUserId: message.chatId, at: message.at });
      return;
    }
    const emergency = text.startsWith(this.words.offerEmergency);
    if (!emergency && !text.startsWith(this.words.offerNew)) return;
    const answer = draw(`${number}|${message.chatId}`) < this.declineShare ? 'decline' : 'accept';
    const label = answer === 'accept' ? this.words.accept : this.words.decline;
    const button = message.keyboard?.flat().find((b) => b.text === label);
    if (!button?.callback_data) return;
    this.offers.push({ number, memberUserId: message.chatId, emergency, at: message.at, answer, update: member.updates });
    member.updates += 1;
    const press = () => this.fake.userPresses(member.user, member.user, message.messageId, button.callback_data!);
    if (this.answerDelayMs > 0) setTimeout(press, this.answerDelayMs);
    else press();
  }
}

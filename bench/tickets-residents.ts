/**
 * The residents of `npm run bench:tickets` (and `bench:dispatch`) on the fake Bot API: each greets,
 * then walks a flow (the complaint flow, flows/complaint.yaml, or the repair flow) answering every
 * prompt the moment the fake accepts it — buttons pressed by their choice value (read from the
 * signed callback data, so wording changes do not matter), the description typed — and waits for
 * the message with the ticket number.
 *
 * What is timed: the fake handing out a resident's last answer (the confirm press) → the fake
 * accepting the message with the ticket number (`MQ-YYYY-NNNNN`, `BX-…`) in that resident's chat.
 */
import type { FakeTelegramBotApi, FakeUser, SentMessage } from '../test/fakes/telegram-bot-api/index.js';

export const TICKET_NUMBER = /MQ-\d{4}-\d{5,}/;

/** How often the wait for messages stops to check the deadline and the quiet. */
const LOOK_AGAIN_MS = 1_000;

/**
 * One answer: press the button with this choice value, or type this text once the prompt starts
 * so. An `optional` press is made only when the message offers it (a question some people are
 * asked, e.g. for whom a group head files); otherwise the next answer is tried on the message.
 */
export type Answer = { press: string; optional?: boolean } | { type: (n: number) => string; whenPromptStartsWith: string };

/** The walk through the complaint flow, after the greeting; the last answer files the ticket. */
export function complaintWalk(descriptionPrompt: string): Answer[] {
  return [
    { press: 'complaint' }, // the main menu's entry
    { press: 'complaint' }, // kind: a complaint
    { press: 'environment_sanitation' }, // category
    { type: (n) => `压测小区${n}号门口的垃圾三天没人清运了`, whenPromptStartsWith: descriptionPrompt },
    { press: 'home' }, // where: near home (the household's area)
    { press: 'skip' }, // no photo
    { press: 'no' }, // not anonymous
    { press: 'no' }, // the open data feed shows the category and area only, not the words
    { press: 'yes' }, // the summary: confirm
  ];
}

interface Resident {
  n: number;
  user: FakeUser;
  /** Answers given so far (index into the walk). */
  step: number;
  /** Updates this resident pushed (the greeting is the first). */
  updates: number;
  /** Which of this chat's updates is the confirm press (0: the greeting). */
  confirmUpdate?: number;
  ticket?: { number: string; at: number };
  /** Bot messages that answered nothing the resident waited for (e.g. a refusal), and the first of them. */
  unexpected: number;
  firstUnexpected?: string;
}

export interface FiledTicket {
  chatId: number;
  number: string;
  /** The confirm press's hand-out and the ticket number's arrival, epoch ms. */
  confirmHandedOutAt: number;
  numberAt: number;
}

export interface WalkOutcome {
  filed: FiledTicket[];
  /** First hand-out of the run (a greeting), epoch ms. */
  firstHandOutAt: number;
  /** Residents without a ticket number, by the answer they were waiting to give ("number": all given). */
  stuck: Map<string, number>;
  /** One unexpected message a stuck resident got, if any (the first). */
  stuckExample: string | undefined;
  unexpectedMessages: number;
}

/** The choice value a flow button carries: `c|<step fingerprint>|<value>|<tag>`. */
function choiceValue(data: string | undefined): string | undefined {
  const fields = data?.split('|');
  return fields?.length === 4 && fields[0] === 'c' ? fields[2] : undefined;
}

export class FilingResidents {
  private readonly residents: Resident[];
  private readonly byChat = new Map<number, Resident>();
  private readonly walks: Answer[][];
  private cursor = 0;
  private handOutsBefore = 0;
  private filedCount = 0;

  constructor(
    private readonly fake: FakeTelegramBotApi,
    users: readonly FakeUser[],
    /** Resident n's walk (n from 1), after the greeting; the last answer files the ticket. */
    walkOf: (n: number) => Answer[],
    private readonly numberPattern: RegExp = TICKET_NUMBER,
  ) {
    this.walks = users.map((_, i) => walkOf(i + 1));
    this.residents = users.map((user, i) => ({ n: i + 1, user, step: 0, updates: 0, unexpected: 0 }));
    for (const resident of this.residents) this.byChat.set(resident.user.id, resident);
  }

  /**
   * Every resident greets at once (one backlog, ≤ 100 updates per getUpdates), then answers as
   * prompts arrive; resolves when all have their number, at the timeout, or once the bot has sent
   * nothing for `quietMs` (those still waiting would wait for ever).
   */
  async run(timeoutMs: number, quietMs: number): Promise<WalkOutcome> {
    this.handOutsBefore = this.fake.handOuts.length;
    this.cursor = this.fake.sent.all.length;
    this.fake.holdUpdates(() => {
      for (const resident of this.residents) this.say(resident, '你好');
    });
    const deadline = Date.now() + timeoutMs;
    let lastMessageAt = Date.now();
    // Called after every message the fake accepts: each is answered right there.
    const answer = (all: readonly SentMessage[]) => {
      if (this.cursor < all.length) lastMessageAt = Date.now();
      for (; this.cursor < all.length; this.cursor += 1) this.receive(all[this.cursor]!);
      return this.filedCount === this.residents.length;
    };
    while (!answer(this.fake.sent.all) && Date.now() < deadline && Date.now() - lastMessageAt < quietMs) {
      await this.fake.sent.until(answer, LOOK_AGAIN_MS).catch(() => undefined);
    }
    return this.outcome();
  }

  private receive(message: SentMessage): void {
    const resident = this.byChat.get(message.chatId);
    if (!resident || resident.ticket || message.method === 'editMessageText') return;
    const walk = this.walks[resident.n - 1]!;
    const offered = (press: string) => message.keyboard?.flat().find((b) => choiceValue(b.callback_data) === press);
    let answer = walk[resident.step];
    while (answer && 'press' in answer && answer.optional && !offered(answer.press)) answer = walk[++resident.step];
    if (!answer) return this.expectNumber(resident, message);
    if ('press' in answer) {
      const button = offered(answer.press);
      if (!button) return this.unexpected(resident, message);
      this.fake.userPresses(resident.user, resident.user, message.messageId, button.callback_data!);
      resident.updates += 1;
    } else {
      if (!(message.text ?? '').startsWith(answer.whenPromptStartsWith)) return this.unexpected(resident, message);
      this.say(resident, answer.type(resident.n));
    }
    resident.step += 1;
    if (resident.step === walk.length) resident.confirmUpdate = resident.updates - 1;
  }

  private expectNumber(resident: Resident, message: SentMessage): void {
    const number = this.numberPattern.exec(message.text ?? '')?.[0];
    if (!number) return this.unexpected(resident, message);
    resident.ticket = { number, at: message.at };
    this.filedCount += 1;
  }

  private unexpected(resident: Resident, message: SentMessage): void {
    resident.unexpected += 1;
    resident.firstUnexpected ??= (message.text ?? message.caption ?? '').slice(0, 80);
  }

  private say(resident: Resident, text: string): void {
    this.fake.userSays(resident.user, resident.user, text);
    resident.updates += 1;
  }

  private outcome(): WalkOutcome {
    const handOuts = this.fake.handOuts.slice(this.handOutsBefore);
    const handOutsOf = new Map<number, number[]>();
    for (const handOut of handOuts) {
      if (handOut.chatId === undefined || !this.byChat.has(handOut.chatId)) continue;
      const times = handOutsOf.get(handOut.chatId) ?? [];
      times.push(handOut.at);
      handOutsOf.set(handOut.chatId, times);
    }
    const filed: FiledTicket[] = [];
    const stuck = new Map<string, number>();
    let stuckExample: string | undefined;
    for (const resident of this.residents) {
      const confirmHandedOutAt = resident.confirmUpdate === undefined ? undefined : handOutsOf.get(resident.user.id)?.[resident.confirmUpdate];
      if (resident.ticket && confirmHandedOutAt !== undefined) {
        filed.push({ chatId: resident.user.id, number: resident.ticket.number, confirmHandedOutAt, numberAt: resident.ticket.at });
        continue;
      }
      const waiting = this.walks[resident.n - 1]![resident.step];
      const at = !waiting ? 'the ticket number' : 'press' in waiting ? `press "${waiting.press}"` : 'type the description';
      stuck.set(at, (stuck.get(at) ?? 0) + 1);
      stuckExample ??= resident.firstUnexpected;
    }
    return {
      filed,
      firstHandOutAt: handOuts[0]?.at ?? Number.NaN,
      stuck,
      stuckExample,
      unexpectedMessages: this.residents.reduce((sum, r) => sum + r.unexpected, 0),
    };
  }
}

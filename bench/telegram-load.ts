/**
 * The people of `npm run bench:telegram`, on the fake Bot API: each chat walks a fixed cycle of
 * texts, and a phase pushes texts, waits until every reply arrived, and pairs each text with its
 * replies (per chat, in order: see the fake's reply-timing.ts) to time it. The same load goes to
 * every bot; what differs is how many messages a text causes and what a right answer looks like.
 */
import { performance } from 'node:perf_hooks';
import {
  attributeReplies,
  type AnsweredUpdate,
  type FakeTelegramBotApi,
  type FakeUser,
  type SentMessage,
} from '../test/fakes/telegram-bot-api/index.js';
import { summarise, type LatencySummary } from './stats.js';

/** One text a person sends and the messages it causes. */
export interface Step {
  text: string;
  replies: number;
}

/** What a bot is expected to do with the cycle. */
export interface BotProfile {
  /** The first text of every chat (not measured: accounts are created, code paths warmed up). */
  greeting: Step;
  /** What each chat sends after the greeting, over and over. */
  cycle: readonly Step[];
  /** Whether these replies are a right answer to the step. */
  answers(step: Step, replies: readonly SentMessage[]): boolean;
}

/**
 * Linli's main menu and language flows: every step saves the conversation, one runs an effect
 * (set_language), each ends with a prompt (a message with buttons).
 */
export const LINLI_PROFILE: BotProfile = {
  greeting: { text: '你好', replies: 1 },
  cycle: [
    { text: '语言', replies: 1 }, // menu → the language prompt
    { text: '中文', replies: 2 }, // set_language effect, "done", the menu
    { text: '帮助', replies: 2 }, // the help text, the menu
    { text: '菜单', replies: 1 }, // the menu
  ],
  answers: (_step, replies) => replies.at(-1)?.keyboard !== undefined && replies.slice(0, -1).every((m) => m.keyboard === undefined),
};

/** The echo bot answers every text with itself. */
export const ECHO_PROFILE: BotProfile = {
  greeting: { text: '你好', replies: 1 },
  cycle: LINLI_PROFILE.cycle.map((step) => ({ text: step.text, replies: 1 })),
  answers: (step, replies) => replies.length === 1 && replies[0]!.text === step.text,
};

/** A person and where they are in the cycle. */
interface Chat {
  user: FakeUser;
  /** Texts sent so far (the greeting included). */
  sent: number;
}

export interface PhaseResult {
  texts: number;
  /** Texts whose replies all arrived, and of those, answers that were not right. */
  answered: number;
  wrongAnswers: number;
  unanswered: number;
  extraReplies: number;
  replies: number;
  /** First hand-out to the last reply, seconds. */
  seconds: number;
  /** When the last reply arrived (epoch ms). */
  lastReplyAt: number;
  stepsPerSecond: number;
  repliesPerSecond: number;
  /** Hand-out → the step's last reply, and → its first. */
  stepLatency: LatencySummary;
  firstReplyLatency: LatencySummary;
  /** Inbound messages per second actually pushed (the fixed-rate phase). */
  inboundPerSecond?: number;
  /** The fixed-rate phase: from the last text pushed to the last reply (a bot that keeps up: a few ms). */
  tailMs?: number;
}

export class TelegramLoad {
  private readonly chats: Chat[];

  constructor(
    private readonly fake: FakeTelegramBotApi,
    private readonly profile: BotProfile,
    chats: number,
    /** A phase stops waiting once no reply arrived for this long (replies a bot dropped never come). */
    private readonly stallMs = Number.POSITIVE_INFINITY,
  ) {
    this.chats = Array.from({ length: chats }, () => ({ user: fake.createUser({ language_code: 'zh-hans' }), sent: 0 }));
  }

  /** Every chat says its greeting (unmeasured warm-up); resolves when all are answered. */
  greet(timeoutMs: number): Promise<PhaseResult> {
    return this.phase(timeoutMs, (say) => this.fake.holdUpdates(() => this.chats.forEach((chat) => say(chat))));
  }

  /** `texts` texts, round the chats, handed out as one backlog (batches of ≤ 100). */
  backlog(texts: number, timeoutMs: number): Promise<PhaseResult> {
    return this.phase(timeoutMs, (say) =>
      this.fake.holdUpdates(() => {
        for (let n = 0; n < texts; n += 1) say(this.chats[n % this.chats.length]!);
      }),
    );
  }

  /** Texts at a fixed rate for `seconds`, round the chats. */
  async steady(perSecond: number, seconds: number, timeoutMs: number): Promise<PhaseResult> {
    let pushedPerSecond = 0;
    let lastPushAt = 0;
    const result = await this.phase(timeoutMs, async (say) => {
      const total = Math.max(1, Math.round(perSecond * seconds));
      const interval = 1000 / perSecond;
      const began = performance.now();
      for (let n = 0; n < total; n += 1) {
        const wait = began + n * interval - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        say(this.chats[n % this.chats.length]!);
      }
      lastPushAt = Date.now();
      const elapsedSeconds = (performance.now() - began) / 1000;
      pushedPerSecond = total > 1 && elapsedSeconds > 0 ? (total - 1) / elapsedSeconds : Number.NaN;
    });
    return { ...result, inboundPerSecond: pushedPerSecond, tailMs: result.lastReplyAt - lastPushAt };
  }

  /** The `index`-th text a chat sends (0: the greeting). */
  private stepOf(index: number): Step {
    return index === 0 ? this.profile.greeting : this.profile.cycle[(index - 1) % this.profile.cycle.length]!;
  }

  /**
   * Pushes texts with `push`, waits until the messages they cause have all arrived (or the
   * timeout), then attributes and times them.
   */
  private async phase(timeoutMs: number, push: (say: (chat: Chat) => void) => void | Promise<void>): Promise<PhaseResult> {
    const handOutsBefore = this.fake.handOuts.length;
    const sentBefore = new Map(this.chats.map((chat) => [chat.user.id, this.fake.sentTo(chat.user).length]));
    const stepsOf = new Map<number, Step[]>();
    let expected = 0;
    let texts = 0;
    const say = (chat: Chat) => {
      const step = this.stepOf(chat.sent);
      chat.sent += 1;
      texts += 1;
      expected += step.replies;
      const steps = stepsOf.get(chat.user.id) ?? [];
      steps.push(step);
      stepsOf.set(chat.user.id, steps);
      this.fake.userSays(chat.user, chat.user, step.text);
    };
    await push(say);

    const arrived = () => {
      let count = 0;
      for (const chatId of stepsOf.keys()) count += this.fake.sentTo(chatId).length - (sentBefore.get(chatId) ?? 0);
      return count;
    };
    const deadline = Date.now() + timeoutMs;
    let seen = arrived();
    let lastProgressAt = Date.now();
    while (seen < expected && Date.now() < deadline && Date.now() - lastProgressAt < this.stallMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = arrived();
      if (now !== seen) lastProgressAt = Date.now();
      seen = now;
    }
    // A bot that sends more than expected would show it now.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const handOuts = this.fake.handOuts.slice(handOutsBefore).filter((h) => h.chatId !== undefined && stepsOf.has(h.chatId));
    const attribution = attributeReplies(
      handOuts,
      (chatId) => this.fake.sentTo(chatId),
      (handOut, nth) => stepsOf.get(handOut.chatId!)?.[nth]?.replies ?? 0,
      (chatId) => sentBefore.get(chatId) ?? 0,
    );
    return this.summary(texts, attribution.answered, attribution.unanswered + (texts - handOuts.length), attribution.extraReplies, stepsOf);
  }

  private summary(
    texts: number,
    answered: readonly AnsweredUpdate[],
    unanswered: number,
    extraReplies: number,
    stepsOf: ReadonlyMap<number, Step[]>,
  ): PhaseResult {
    const wrongAnswers = answered.filter((a) => !this.profile.answers(stepsOf.get(a.chatId)![a.nthOfChat]!, a.replies)).length;
    const replies = answered.reduce((sum, a) => sum + a.replies.length, 0);
    const first = Math.min(...answered.map((a) => a.handedOutAt));
    const last = Math.max(...answered.map((a) => a.lastReplyAt));
    const seconds = answered.length > 0 ? Math.max(0.001, (last - first) / 1000) : Number.NaN;
    return {
      texts,
      answered: answered.length,
      wrongAnswers,
      unanswered,
      extraReplies,
      replies,
      seconds,
      lastReplyAt: last,
      stepsPerSecond: answered.length / seconds,
      repliesPerSecond: replies / seconds,
      stepLatency: summarise(answered.map((a) => a.lastReplyAt - a.handedOutAt)),
      firstReplyLatency: summarise(answered.map((a) => a.firstReplyAt - a.handedOutAt)),
    };
  }
}

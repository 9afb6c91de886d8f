/**
 * Runs one person's turn: loads where they are, lets the engine decide, and saves the new
 * state, the flow runs, the effects and the replies (outbox rows) in one transaction, guarded
 * by the conversation's version so two writers never both win. Replies are queued and the idle
 * timer is rescheduled after commit.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelCapabilities, ChannelName, InboundMessage } from '../channels/types.js';
import { finishCommitted, transactionWithAfterCommit, type Committed } from '../db/after-commit.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import { isUniqueViolation } from '../db/prisma-types.js';
import { runInTransaction, sqlRunnerFor, type SqlRunner } from '../db/sql.js';
import type { Translator, Vars } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import { claimedRowOf, type OutboxDispatcher, type OutboxEntry, type QueuedOutboxRow } from '../outbox/outbox.js';
import type { EffectRegistry } from './effects.js';
import type { Engine } from './engine.js';
import type {
  ChatKind,
  EffectCall,
  EngineContext,
  EngineInput,
  EngineMessage,
  EngineResult,
  FlowState,
  Json,
} from './engine-types.js';
import { commandButton, type CommandButtonFields } from '../notify/command-buttons.js';
import type { ChatButtonPress, ChatButtons } from './button-presses.js';
import { choiceAt, choiceButton, type ChoiceButtonFields } from './choice-buttons.js';
import { renderTurn } from './render.js';
import { InboundAlreadySettled, markSettled, settleInboundIn, type InboundReceipt } from './inbound-records.js';
import { officeContact } from '../notify/office-contact.js';
import { keptNumberedActions, numberedActionsApply } from '../notify/numbered-actions.js';
import { parseChoiceNumber } from './answer-parsing.js';
import { SELECT_CONVERSATION_BY_ID_SQL, SELECT_CONVERSATION_SQL, turnWriteSql, type ConversationRow, type TurnWriteResult } from './turn-sql.js';

/** What the service needs of the flow engine (engine.ts). */
export type FlowEngine = Pick<Engine, 'handle' | 'timeout'>;

export interface CommunityInfo {
  id: string;
  name: string;
  officePhone: string | null;
  defaultLocale: string;
}

/** Schedules the idle check for a conversation at a version (a later version makes it a no-op). */
export type ScheduleIdle = (conversationId: string, version: number, stage: 1 | 2, delayMs: number) => Promise<void>;

export interface ConversationServiceDeps {
  prisma: PrismaClient;
  engine: FlowEngine;
  translator: Translator;
  /** The app's buttons: the service makes flow choices with it and registers flow choices and command buttons. */
  buttons: ChatButtons;
  effects: EffectRegistry;
  capabilitiesOf(channel: ChannelName): ChannelCapabilities;
  outbox: OutboxDispatcher;
  scheduleIdle: ScheduleIdle;
  /**
   * Idle timers: a reminder after `reminderMs`, closing `closeMs` later. Someone resting at the
   * menu of `quietFlowId` is not in the middle of anything and gets no reminder.
   */
  idle: { reminderMs: number; closeMs: number; quietFlowId: string };
  community: CommunityInfo;
  logger: Logger;
  /**
   * Deletes a file a person sent that nothing took (the handlers before the flows take the ones
   * asked for, a notice's attachment): it was stored on arrival and would otherwise stay for good.
   */
  discardFile?: (ref: string) => Promise<unknown>;
}

/** The account a message came from, as the router resolved it. */
export interface Speaker {
  chatAccountId: string;
  locale: string | null;
  /** The person the account is bound to; null for a visitor. */
  residentId: string | null;
  /**
   * Their conversation in the message's chat, read with the account just before this message's
   * turn (null: none yet); absent: not read. Taken once, by the turn's first read: a turn run
   * again reads afresh. A stale row cannot be saved (the version guard), only read again.
   */
  conversation?: ConversationRow | null;
}

const MAX_ATTEMPTS = 4;

/**
 * A turn with effects may wait for a connection and for rows other turns hold (a ticket's number,
 * when many residents file at once) longer than Prisma's defaults (2 s to start, 5 s to finish);
 * past these it rolls back and the router runs it again.
 */
const EFFECT_TURN_LIMITS = { maxWait: 10_000, timeout: 20_000 };

class VersionConflict extends Error {}

/** Thrown by the engine context of a decision taken without the database when an effect is asked for. */
class EffectNeeded extends Error {}

/** Runs one statement where the turn is saved: on its own, or inside the effects' transaction. */
type RunStatement = <Row>(text: string, values: readonly unknown[]) => Promise<Row[]>;

/** The engine's input for a message, given where the person is; 'stale' for a button from elsewhere. */
type InputAt = (state: FlowState | null) => EngineInput | 'stale';

export class ConversationService {
  private readonly sql: SqlRunner;
  /** Runs a statement on its own, outside any transaction. */
  private readonly runAlone: RunStatement;

  constructor(private readonly deps: ConversationServiceDeps) {
    const sql = sqlRunnerFor(deps.prisma);
    this.sql = sql;
    this.runAlone = (text, values) => sql.query(text, values);
    // A press of a button of no known kind is answered as a flow choice's was before kinds had prefixes.
    deps.buttons.register(choiceButton, { handle: (fields, press) => this.pressChoice(fields, press), refuse: (press) => this.refuseButton(press) }, { answersUnknown: true });
    deps.buttons.register(commandButton, { handle: (fields, press) => this.pressCommand(fields, press), refuse: (press) => this.refuseButton(press) });
  }

  /**
   * Handles one inbound message from a known account. With a `receipt`, the turn marks the
   * message handled in its own writes and throws {@link InboundAlreadySettled} (having written
   * nothing) when another turn did so first.
   */
  async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
    if (await this.pressedByNumber(speaker, inbound, receipt)) return;
    await this.retrying(() => this.tryHandleMessage(speaker, inbound, receipt, () => toEngineInput(inbound)));
    // The flows answer a file as something they cannot take; the file itself is not kept.
    const unwanted = inbound.kind === 'document' ? inbound.document?.ref : undefined;
    if (unwanted && this.deps.discardFile) {
      await this.deps.discardFile(unwanted).catch((error: unknown) => this.deps.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'an unwanted file could not be deleted'));
    }
  }

  /**
   * A number typed where a notice's buttons were shown as numbered lines, answering them (they
   * are the latest numbered list the person saw there, and fresh: `src/notify/numbered-actions.ts`):
   * the button of that number is pressed through the registry, verified and refused as any press.
   * False when the message is anything else, for the flow to read as ever.
   */
  private async pressedByNumber(speaker: Speaker, inbound: InboundMessage, receipt: InboundReceipt | undefined): Promise<boolean> {
    if (inbound.kind !== 'text') return false;
    const position = parseChoiceNumber(inbound.text ?? '');
    if (position === undefined) return false;
    // Lists are kept only where buttons cannot be shown: a number typed on a channel with buttons
    // (a star rating, a house number) costs no look-up.
    if (this.deps.capabilitiesOf(inbound.channel).buttons) return false;
    // Most people have none kept: one look-up by key, and the conversation is read only when there are.
    const kept = await keptNumberedActions(this.deps.prisma, speaker.chatAccountId);
    if (!kept) return false;
    const conversation = await this.findOrCreateConversation(speaker, inbound);
    const numberedAt = conversation.numberedAtMs === null ? null : new Date(conversation.numberedAtMs);
    if (!numberedActionsApply(kept, { chatId: inbound.chatId, numberedAt, now: new Date() })) return false;
    const { actions } = kept;
    const action = actions[position - 1];
    if (action) {
      await this.deps.buttons.press(action.data, { chatAccountId: speaker.chatAccountId, speaker, inbound, ...(receipt ? { receipt } : {}) });
      return true;
    }
    // Out of range: what a flow says to a number past its choices, the numbered lines again below
    // (this channel has no buttons, so the choices render as lines; the labels are shown, never pressed).
    const reason: EngineMessage = { key: 'engine.reason.not_a_choice', vars: { count: actions.length }, choices: actions.map(({ label }) => ({ label, value: '' })) };
    await this.retrying(async () => {
      const current = await this.findOrCreateConversation(speaker, inbound);
      await this.commit(current, { state: toFlowState(current), messages: [reason], runsStarted: [], runsEnded: [] }, speaker.locale, {
        keepVersion: true,
        restartIdleTimer: false,
        ...(receipt ? { inbound: receipt } : {}),
      });
    });
    return true;
  }

  /** A genuine flow choice's button: the choice, unless the person has left the step it was offered at. */
  private pressChoice(fields: ChoiceButtonFields, press: ChatButtonPress): Promise<void | 'stale'> {
    return this.retrying(() =>
      this.tryHandleMessage(press.speaker, press.inbound, press.receipt, (state) => {
        const at = choiceAt(fields, state);
        return at === 'stale' ? 'stale' : { kind: 'choice', runId: at.runId, stepId: at.stepId, value: at.token };
      }),
    );
  }

  /** A genuine notice's button, pressed by the account it was sent to: as if the person had typed the command. */
  private pressCommand(fields: CommandButtonFields, press: ChatButtonPress): Promise<void> {
    return this.retrying(async () => {
      await this.tryHandleMessage(press.speaker, press.inbound, press.receipt, () => ({ kind: 'text', text: fields.command }));
    });
  }

  /** A refused button (forged, someone else's, from a step left behind) changes nothing; the person is told. */
  private refuseButton(press: ChatButtonPress): Promise<void> {
    return this.retrying(async () => {
      const conversation = await this.findOrCreateConversation(press.speaker, press.inbound);
      const state = toFlowState(conversation);
      await this.commit(conversation, { state, messages: [{ key: 'conversation.button_invalid' }], runsStarted: [], runsEnded: [] }, press.speaker.locale, {
        keepVersion: true,
        restartIdleTimer: false,
        ...(press.receipt ? { inbound: press.receipt } : {}),
      });
    });
  }

  /** Runs a turn again when another writer changed the conversation first. */
  private async retrying<T>(turn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await turn();
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The idle timer fired: remind (stage 1) or close (stage 2), unless the person moved on. */
  async handleIdle(conversationId: string, version: number, stage: 1 | 2): Promise<'done' | 'stale'> {
    const [conversation] = await this.sql.query<ConversationRow>(SELECT_CONVERSATION_BY_ID_SQL, [conversationId]);
    if (!conversation || conversation.version !== version || !conversation.flowRunId) return 'stale';
    const state = toFlowState(conversation)!;
    const account = await this.deps.prisma.chatAccount.findUniqueOrThrow({ where: { id: conversation.chatAccountId }, select: { locale: true } });
    const result = this.deps.engine.timeout(state, stage, this.renderContext(account.locale));
    try {
      const committed = await this.commit(conversation, result, account.locale, { idleStage: stage, restartIdleTimer: false });
      if (stage === 1 && committed.nextState) {
        await this.deps.scheduleIdle(conversation.id, committed.version, 2, this.deps.idle.closeMs);
      }
      return 'done';
    } catch (error) {
      if (error instanceof VersionConflict) return 'stale';
      throw error;
    }
  }

  private async tryHandleMessage(speaker: Speaker, inbound: InboundMessage, receipt: InboundReceipt | undefined, inputAt: InputAt): Promise<void | 'stale'> {
    const conversation = await this.findOrCreateConversation(speaker, inbound);
    const state = toFlowState(conversation);
    const input = inputAt(state);
    // Nothing is written for a stale button: its refusal is answered by the button registry.
    if (input === 'stale') return 'stale';

    // Most turns run no effect: the engine decides with no database at hand and the turn is saved
    // in one statement, which needs no transaction. A turn that reaches an effect is decided again
    // inside a transaction, as every turn once was: the engine never changes its input and decides
    // alike given alike effect results, and nothing was written the first time.
    const plain = await this.decideWithoutEffects(state, input, speaker, inbound);
    if (plain) {
      const saved = await this.save(this.runAlone, conversation, plain, { idleStage: 0, locale: speaker.locale, ...(receipt ? { inbound: receipt } : {}) });
      markSettled(receipt);
      await this.afterCommit(conversation.id, saved, true);
      return;
    }
    // Effects may write messages for others (a ticket's card for the staff chat, a notice to a
    // household) and ask for work after the commit (deadline jobs): all of it is done right after.
    const committed = await transactionWithAfterCommit(this.deps.prisma, async (tx) => {
      // First: a second turn of the same message waits here, and finds it settled.
      if (receipt) await settleInboundIn(tx, receipt);
      const turn = { effectsRan: false };
      const ctx = this.engineContext(tx, speaker, inbound, conversation, turn);
      const decided = await this.deps.engine.handle(state, input, ctx);
      // An effect may have changed the person's language: then replies are rendered in the new one.
      const locale = turn.effectsRan ? await this.chosenLocaleOrNull(tx, speaker.chatAccountId) : speaker.locale;
      return this.save((text, values) => runInTransaction(tx, text, values), conversation, decided, { idleStage: 0, locale });
    }, EFFECT_TURN_LIMITS);
    markSettled(receipt);
    await this.afterCommit(conversation.id, committed.value, true, committed);
  }

  /** The engine's decision if it needs no effect; undefined when it asked for one. */
  private async decideWithoutEffects(
    state: FlowState | null,
    input: EngineInput,
    speaker: Speaker,
    inbound: InboundMessage,
  ): Promise<EngineResult | undefined> {
    const ctx: EngineContext = {
      ...this.engineContextBase(speaker, inbound),
      runEffect: () => Promise.reject(new EffectNeeded()),
    };
    try {
      return await this.deps.engine.handle(state, input, ctx);
    } catch (error) {
      if (error instanceof EffectNeeded) return undefined;
      throw error;
    }
  }

  private renderContext(chosenLocale: string | null): Pick<EngineContext, 'locale' | 't' | 'words'> {
    const { translator, community } = this.deps;
    const locale = chosenLocale ?? community.defaultLocale;
    return {
      locale,
      t: (key: string, vars?: Vars) => translator.t(locale, key, vars),
      words: (key: string) => translator.words(locale, key),
    };
  }

  /** Everything the engine may use but effects. */
  private engineContextBase(speaker: Speaker, inbound: InboundMessage): Omit<EngineContext, 'runEffect'> {
    const chat: ChatKind = inbound.chatType === 'group' ? 'group' : 'private';
    return {
      ...this.renderContext(speaker.locale),
      actor: speaker.residentId ? 'person' : 'visitor',
      chat,
      newRunId: () => randomUUID(),
    };
  }

  private engineContext(
    tx: Tx,
    speaker: Speaker,
    inbound: InboundMessage,
    conversation: ConversationRow,
    turn: { effectsRan: boolean },
  ): EngineContext {
    const { effects, community } = this.deps;
    const base = this.engineContextBase(speaker, inbound);
    return {
      ...base,
      runEffect: async (runId: string, stepId: string, call: EffectCall): Promise<Json> => {
        const entry = effects.get(call.name);
        if (!entry) throw new Error(`unknown effect ${call.name}`);
        const effectContext = async () => ({
          tx,
          communityId: community.id,
          chatAccountId: speaker.chatAccountId,
          conversationId: conversation.id,
          // An earlier effect of this turn may have changed the person's language.
          locale: turn.effectsRan ? await this.chosenLocale(tx, speaker.chatAccountId) : base.locale,
          chat: base.chat,
          ...(inbound.origin ? { origin: inbound.origin } : {}),
        });
        // One that only reads runs every time and leaves no record (its result may be personal).
        if (typeof entry !== 'function') return entry.run(await effectContext(), call.args);
        const done = await tx.flowEffect.findUnique({ where: { flowRunId_stepId: { flowRunId: runId, stepId } } });
        if (done) return (done.result ?? null) as Json;
        const context = await effectContext();
        turn.effectsRan = true;
        const value = await entry(context, call.args);
        await tx.flowEffect.create({
          data: { flowRunId: runId, stepId, name: call.name, result: value === null ? undefined : (value as object) },
        });
        return value;
      },
    };
  }

  private async chosenLocale(tx: Tx, chatAccountId: string): Promise<string> {
    return (await this.chosenLocaleOrNull(tx, chatAccountId)) ?? this.deps.community.defaultLocale;
  }

  private async chosenLocaleOrNull(tx: Tx, chatAccountId: string): Promise<string | null> {
    const account = await tx.chatAccount.findUniqueOrThrow({ where: { id: chatAccountId }, select: { locale: true } });
    return account.locale;
  }

  /** Saves a decision no effect took part in (one statement: no transaction needed). */
  private async commit(
    conversation: ConversationRow,
    result: EngineResult,
    locale: string | null,
    options: { idleStage?: number; keepVersion?: boolean; restartIdleTimer: boolean; inbound?: InboundReceipt },
  ): Promise<SavedTurn> {
    const saved = await this.save(this.runAlone, conversation, result, { ...options, locale });
    markSettled(options.inbound);
    await this.afterCommit(conversation.id, saved, options.restartIdleTimer);
    return saved;
  }

  /**
   * Writes the turn — runs begun and ended, the new state if the version is still the one read,
   * the replies, the inbound message settled — in one statement; throws {@link VersionConflict}
   * (having written nothing) if another writer got there first, {@link InboundAlreadySettled} if
   * another turn settled the message.
   */
  private async save(
    run: RunStatement,
    conversation: ConversationRow,
    result: EngineResult,
    options: { idleStage?: number; keepVersion?: boolean; locale: string | null; inbound?: InboundReceipt },
  ): Promise<SavedTurn> {
    const keepVersion = options.keepVersion ?? false;
    const replies = this.renderReplies(conversation, result.messages, result.state, options.locale);
    const write = turnWriteSql({
      conversation,
      result,
      keepVersion,
      idleStage: options.idleStage ?? 0,
      replies: replies.entries,
      numbered: replies.numbered,
      now: new Date(),
      ...(options.inbound ? { inbound: options.inbound } : {}),
      // Sent from here at once: claimed in the statement that writes them, not in one of their own.
      claimReplies: this.deps.outbox.claimsOnWrite(conversation.channel),
    });
    const [outcome] = await run<TurnWriteResult>(write.sql, write.values);
    if (outcome?.claimed === 0) throw new InboundAlreadySettled();
    if (outcome?.updated !== 1) throw new VersionConflict();
    const sending = new Set(outcome.sending ?? []);
    const rows = write.rows.map((row, i) => (sending.has(row.id) ? { ...row, claimed: claimedRowOf(replies.entries[i]!) } : row));
    return { rows, version: keepVersion ? conversation.version : conversation.version + 1, nextState: result.state };
  }

  /** The replies in the person's language (`chosen`: their chosen one, null for the community's), as outbox entries. */
  private renderReplies(conversation: ConversationRow, messages: EngineMessage[], next: FlowState | null, chosen: string | null): { entries: OutboxEntry[]; numbered: boolean } {
    if (messages.length === 0) return { entries: [], numbered: false };
    const { translator, buttons, community } = this.deps;
    const channel = conversation.channel as ChannelName;
    const locale = chosen ?? community.defaultLocale;
    const rendered = renderTurn(messages, {
      translator,
      locale,
      capabilities: this.deps.capabilitiesOf(channel),
      buttons,
      vars: {
        ...scalarVars(next?.data ?? toFlowState(conversation)?.data ?? {}),
        office: officeContact(translator, locale, community.officePhone),
        communityName: community.name,
      },
      at: next ? { runId: next.runId, stepId: next.stepId } : null,
    });
    // The language goes with each reply, so the channel need not look it up when it sends.
    const entries = rendered.messages.map((message) => ({
      communityId: community.id,
      channel,
      chatId: conversation.chatId,
      chatAccountId: conversation.chatAccountId,
      message,
      chosenLocale: chosen,
    }));
    return { entries, numbered: rendered.numbered };
  }

  /** Queues the replies; after the person's own turn, starts the idle timer afresh. */
  private async afterCommit(conversationId: string, saved: SavedTurn, restartIdleTimer: boolean, effects?: Committed<unknown>): Promise<void> {
    if (effects) await finishCommitted(effects, this.deps.outbox, saved.rows);
    else await this.deps.outbox.dispatch(saved.rows);
    if (restartIdleTimer && saved.nextState && saved.nextState.flowId !== this.deps.idle.quietFlowId) {
      await this.deps.scheduleIdle(conversationId, saved.version, 1, this.deps.idle.reminderMs);
    }
  }

  private async findOrCreateConversation(speaker: Speaker, inbound: InboundMessage): Promise<ConversationRow> {
    const key = { channel: inbound.channel, chatId: inbound.chatId, chatAccountId: speaker.chatAccountId };
    const loaded = speaker.conversation;
    delete speaker.conversation;
    if (loaded && loaded.channel === key.channel && loaded.chatId === key.chatId && loaded.chatAccountId === key.chatAccountId) return loaded;
    const find = async () => (await this.sql.query<ConversationRow>(SELECT_CONVERSATION_SQL, [key.channel, key.chatId, key.chatAccountId]))[0];
    // Missing a moment ago (read with the account, for this message's chat): created at once,
    // the unique key keeping it one.
    const existing = loaded === null ? undefined : await find();
    if (existing) return existing;
    try {
      await this.deps.prisma.conversation.create({ data: { ...key, communityId: this.deps.community.id }, select: { id: true } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const created = await find();
    if (!created) throw new Error(`conversation ${key.channel}/${key.chatAccountId} vanished after it was created`);
    return created;
  }
}

interface SavedTurn {
  rows: QueuedOutboxRow[];
  version: number;
  nextState: FlowState | null;
}

export function toFlowState(conversation: ConversationRow): FlowState | null {
  if (!conversation.flowRunId || !conversation.stepId || !conversation.flowId) return null;
  return {
    flowId: conversation.flowId ?? '',
    runId: conversation.flowRunId,
    stepId: conversation.stepId,
    data: (conversation.data ?? {}) as Record<string, Json>,
    history: (conversation.history ?? []) as string[],
    wrongAnswers: conversation.wrongAnswers,
  };
}

function toEngineInput(inbound: InboundMessage): EngineInput {
  switch (inbound.kind) {
    case 'text':
      return { kind: 'text', text: inbound.text ?? '' };
    case 'photo':
      return { kind: 'photo', ref: inbound.photo?.ref ?? '' };
    case 'location': {
      const location = inbound.location!;
      return location.label === undefined
        ? { kind: 'location', latitude: location.latitude, longitude: location.longitude }
        : { kind: 'location', latitude: location.latitude, longitude: location.longitude, label: location.label };
    }
    case 'unsupported':
      return { kind: 'unsupported', type: inbound.unsupportedType ?? 'unknown' };
    case 'document':
    case 'document_refused':
      // A file only a handler that asked for one takes (a notice's attachment); to a flow it is
      // something it cannot take, answered as such.
      return { kind: 'unsupported', type: 'file' };
    case 'choice':
      throw new Error('button presses go through the button registry');
    case 'photo_refused':
      throw new Error('refused photos are answered by the router');
  }
}

/** Only scalar answers are offered to prompts as variables. */
function scalarVars(data: Record<string, Json>): Vars {
  const vars: Vars = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' || typeof value === 'number') vars[key] = value;
    else if (typeof value === 'boolean') vars[key] = String(value);
  }
  return vars;
}

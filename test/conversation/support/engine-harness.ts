/**
 * Drives the pure engine the way the conversation service does, in memory: keeps one person's
 * state (through a JSON round trip, as the database would), records effects once per
 * (run, step) like the service's FlowEffect table, and renders messages with a real translator.
 */
import type { Translator } from '../../../src/i18n/translator.js';
import type { Engine } from '../../../src/conversation/engine.js';
import { APP_EFFECTS } from '../../support/app-effects.js';
import { officeContact } from '../../../src/notify/office-contact.js';
import type {
  ActorKind,
  ChatKind,
  EffectCall,
  EngineContext,
  EngineInput,
  EngineMessage,
  EngineResult,
  FlowState,
  Json,
} from '../../../src/conversation/engine-types.js';

const READ_ONLY: ReadonlySet<string> = new Set(
  Object.entries(APP_EFFECTS)
    .filter(([, signature]) => signature.readOnly)
    .map(([name]) => name),
);

/** The office phone the test community has set. */
export const OFFICE_PHONE = '0991-1234567';
/** Variables the service adds to every message (`office` as it reads in Chinese). */
export const SERVICE_VARS = { office: '社区办公室（电话：0991-1234567）', communityName: '测试社区' };

export interface EffectRecord {
  runId: string;
  stepId: string;
  call: EffectCall;
}

/** An in-memory context: `runEffect` runs each (run, step) once and replays its result after. */
export class FakeContext implements EngineContext {
  /** Effects that really ran (not the replays), read-only ones apart. */
  readonly executed: EffectRecord[] = [];
  /** Read-only effects, every time they ran. */
  readonly reads: EffectRecord[] = [];
  /** Every call the engine made, replays included. */
  calls = 0;
  private readonly recorded = new Map<string, Json>();
  private runs = 0;
  /** A bound person by default; set 'visitor' to see what an unbound account is offered. */
  actor: ActorKind = 'person';
  chat: ChatKind = 'private';
  /** Whether the channel can send a location (its capabilities); the web chat and WeChat cannot. */
  locations = true;

  constructor(
    private readonly translator: Translator,
    public locale: string = 'zh-CN',
    private readonly effects: Record<string, (args: Record<string, Json>) => Json> = {},
  ) {}

  t = (key: string, vars?: Record<string, string | number | undefined | null>): string =>
    this.translator.t(this.locale, key, { ...SERVICE_VARS, office: officeContact(this.translator, this.locale, OFFICE_PHONE), ...vars });

  words = (key: string): string[] => this.translator.words(this.locale, key);

  runEffect = async (runId: string, stepId: string, call: EffectCall): Promise<Json> => {
    this.calls++;
    // Like the service: an effect that only reads runs afresh every time and is not recorded.
    if (READ_ONLY.has(call.name)) {
      this.reads.push({ runId, stepId, call });
      return this.effects[call.name]?.(call.args) ?? null;
    }
    const key = `${runId}/${stepId}`;
    if (this.recorded.has(key)) return this.recorded.get(key)!;
    this.executed.push({ runId, stepId, call });
    const impl = this.effects[call.name];
    const result = impl ? impl(call.args) : null;
    if (call.name === 'set_language' && typeof call.args.locale === 'string') this.locale = call.args.locale;
    this.recorded.set(key, result);
    return result;
  };

  newRunId = (): string => `run-${++this.runs}`;
}

/** One person talking to the engine. */
export class Chat {
  state: FlowState | null = null;
  last!: EngineResult;

  constructor(
    readonly engine: Engine,
    readonly ctx: FakeContext,
  ) {}

  /** Sends typed text, or any input; the state is persisted as JSON between messages. */
  async send(input: string | EngineInput): Promise<EngineResult> {
    const event: EngineInput = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const result = await this.engine.handle(this.state, event, this.ctx);
    this.state = result.state === null ? null : (JSON.parse(JSON.stringify(result.state)) as FlowState);
    this.last = result;
    return result;
  }

  /** Presses a button of the current question. */
  press(value: string): Promise<EngineResult> {
    const state = this.state;
    if (!state) throw new Error('no active flow to press a button in');
    return this.send({ kind: 'choice', runId: state.runId, stepId: state.stepId, value });
  }

  start(flowId: string): Promise<EngineResult> {
    return this.send({ kind: 'start', flowId });
  }

  /** The last result's messages rendered in the person's language. */
  get texts(): string[] {
    return this.last.messages.map((m) => render(this.ctx, m));
  }

  get keys(): string[] {
    return this.last.messages.map((m) => m.key);
  }

  /** Choice values offered by the last message. */
  get offered(): string[] {
    return this.last.messages.at(-1)?.choices?.map((c) => c.value) ?? [];
  }

  get step(): string | undefined {
    return this.state ? `${this.state.flowId}/${this.state.stepId}` : undefined;
  }
}

/** Renders a message the way the service does (choices as numbered lines, for reading). */
export function render(ctx: FakeContext, message: EngineMessage): string {
  const text = ctx.t(message.typedKey && !ctx.locations ? message.typedKey : message.key, message.vars);
  if (!message.choices) return text;
  const lines = message.choices.map((c, i) => `${i + 1}. ${'label' in c ? c.label : ctx.t(c.labelKey, c.vars)}`);
  return [text, ...lines].join('\n');
}

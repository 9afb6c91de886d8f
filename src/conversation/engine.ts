/**
 * The flow engine: given where a person stands (FlowState) and what they just did
 * (EngineInput), decides the next state and the messages to send. It does no I/O: effects go
 * through `ctx.runEffect` (the service makes them exactly-once per run and step), messages are
 * locale keys the service renders, and the flows are loaded and checked once at start.
 *
 * @example
 * const engine = createEngine(loadFlowsOrThrow('flows', { effects: declaredEffects(APP_FEATURES), locales }));
 * const result = await engine.handle(state, { kind: 'text', text: '报修' }, ctx);
 */
import { characterCount, normalizeAnswer } from './answer-parsing.js';
import {
  PASSES,
  PHASE,
  RETURN_TO,
  choiceOptions,
  confirmChoices,
  editChoices,
  readAnswer,
  type RenderContext,
} from './answer-reading.js';
import { ARGUMENT_SHAPES } from './argument-shapes.js';
import { parseSlashCommand, parseWordCommand } from './command-parser.js';
import type { EngineContext, EngineInput, EngineMessage, EngineResult, FlowState, Json, RunEnd } from './engine-types.js';
import { displayVars, lookup, resolveArgs } from './flow-data.js';
import {
  END,
  MAX_TEXT_LENGTH,
  MENU_FLOW,
  RESIDENT_GATE_FLOW,
  isAskStep,
  type AskStep,
  type Flow,
  type FlowRegistry,
  type StepOf,
} from './flow-schema.js';

export type { RenderContext } from './answer-reading.js';

type ConfirmStep = StepOf<'confirm'>;

export interface EngineOptions {
  /** Started when someone with no active flow writes anything, and by `menu`. */
  menuFlow?: string;
  /** Started by `help` when no flow is active (falls back to the menu when absent). */
  helpFlow?: string;
  /** Steps one input may run through before the engine calls it a loop. */
  maxStepsPerInput?: number;
  /** Wrong answers in a row after which a person is offered (and again every as many). */
  wrongAnswersBeforeHuman?: number;
  /** Where visitors go instead of a flow for residents (default: RESIDENT_GATE_FLOW). */
  gateFlow?: string;
}

/** A flow as `describe()` lists it. */
export interface FlowSummary {
  id: string;
  file: string;
  steps: number;
  questions: number;
}

export interface Engine {
  /** Decides what one input does. Never mutates `state`. */
  handle(state: FlowState | null, input: EngineInput, ctx: EngineContext): Promise<EngineResult>;
  /**
   * Idle timeout: stage 1 reminds and asks the question again, keeping the state; stage 2 ends
   * the run. Pass `ctx` so a repeated summary shows answers in words (choice labels) rather
   * than stored values.
   */
  timeout(state: FlowState | null, stage: 1 | 2, ctx?: RenderContext): EngineResult;
  /** The current question again (after a restart, or when a web chat page reloads). */
  prompt(state: FlowState, ctx?: RenderContext): EngineMessage[];
  /** The loaded flows, for start-up logs and `flows:check`. */
  describe(): FlowSummary[];
}

/** Creates an engine over flows loaded once at start (see `loadFlowsOrThrow`). */
export function createEngine(flows: FlowRegistry, options: EngineOptions = {}): Engine {
  return new FlowEngine(flows, options);
}

type Command = 'cancel' | 'back' | 'help' | 'menu';

/** What a typed text means as a command. */
type CommandReading =
  | { type: 'built-in'; command: Command }
  /** A flow's own command: start it, with the argument as its first data. */
  | { type: 'flow'; flowId: string; data: Record<string, Json> }
  /** `/something` nobody answers to. */
  | { type: 'unknown' };

/** `back` reaches this many questions back; a flow that loops must not grow the state forever. */
const MAX_HISTORY = 50;

const SLASH_COMMANDS: Readonly<Record<string, Command>> = {
  cancel: 'cancel',
  back: 'back',
  help: 'help',
  menu: 'menu',
  start: 'menu',
};

/** The words of each built-in command, in the person's language. */
const BUILT_IN_WORDS: readonly (readonly [Command, string])[] = [
  ['cancel', 'engine.commands.cancel'],
  ['back', 'engine.commands.back'],
  ['help', 'engine.commands.help'],
  ['menu', 'engine.commands.menu'],
];

/** One input's work: the state being changed and what to report. */
class Turn {
  readonly messages: EngineMessage[] = [];
  readonly runsStarted: { runId: string; flowId: string }[] = [];
  readonly runsEnded: { runId: string; how: RunEnd }[] = [];
  offeredHuman = false;
  steps = 0;

  constructor(
    public state: FlowState | null,
    readonly ctx: RenderContext | undefined,
  ) {}

  end(how: RunEnd): void {
    if (this.state) this.runsEnded.push({ runId: this.state.runId, how });
    this.state = null;
  }

  result(): EngineResult {
    const result: EngineResult = {
      state: this.state,
      messages: this.messages,
      runsStarted: this.runsStarted,
      runsEnded: this.runsEnded,
    };
    if (this.offeredHuman) result.offeredHuman = true;
    return result;
  }
}

class FlowEngine implements Engine {
  private readonly menuFlow: string;
  private readonly helpFlow: string;
  private readonly gateFlow: string;
  private readonly maxSteps: number;
  private readonly humanAfter: number;
  /** Flows started by a slash command, by its name. */
  private readonly slashCommands = new Map<string, Flow>();
  /** Flows started by words, by the words' locale key. */
  private readonly wordCommands: Flow[] = [];
  /** Flows started by a message of a shape alone (a code), with that shape's test. */
  private readonly aloneCommands: { flow: Flow; matches: (text: string) => boolean }[] = [];

  constructor(
    private readonly flows: FlowRegistry,
    options: EngineOptions,
  ) {
    this.menuFlow = options.menuFlow ?? MENU_FLOW;
    this.helpFlow = options.helpFlow ?? 'help';
    this.gateFlow = options.gateFlow ?? RESIDENT_GATE_FLOW;
    this.maxSteps = options.maxStepsPerInput ?? 100;
    this.humanAfter = options.wrongAnswersBeforeHuman ?? 3;
    if (!flows.get(this.menuFlow)) throw new Error(`the menu flow "${this.menuFlow}" is not among the loaded flows`);
    for (const id of flows.ids()) {
      const flow = flows.get(id)!;
      if (flow.audience === 'resident' && !flows.get(this.gateFlow)) {
        throw new Error(`flow "${id}" is for residents, but the flow "${this.gateFlow}" that leads visitors to binding is missing`);
      }
      if (!flow.command) continue;
      for (const name of flow.command.slash) if (!this.slashCommands.has(name)) this.slashCommands.set(name, flow);
      if (flow.command.words) this.wordCommands.push(flow);
      if (flow.command.alone) this.aloneCommands.push({ flow, matches: ARGUMENT_SHAPES[flow.command.alone] });
    }
  }

  describe(): FlowSummary[] {
    return this.flows.ids().map((id) => {
      const flow = this.flows.get(id)!;
      const steps = [...flow.steps.values()];
      return { id, file: flow.file, steps: steps.length, questions: steps.filter(isAskStep).length };
    });
  }

  prompt(state: FlowState, ctx?: RenderContext): EngineMessage[] {
    const turn = new Turn(state, ctx);
    const flow = this.flows.get(state.flowId);
    const step = flow?.steps.get(state.stepId);
    if (flow && step && isAskStep(step)) this.ask(turn, flow, step);
    return turn.messages;
  }

  timeout(state: FlowState | null, stage: 1 | 2, ctx?: RenderContext): EngineResult {
    const turn = new Turn(state, ctx);
    if (!state) return turn.result();
    if (stage === 1) {
      turn.messages.push({ key: 'engine.idle.reminder' });
      turn.messages.push(...this.prompt(state, ctx));
    } else {
      turn.end('timed_out');
      turn.messages.push({ key: 'engine.idle.closed' });
    }
    return turn.result();
  }

  async handle(state: FlowState | null, input: EngineInput, ctx: EngineContext): Promise<EngineResult> {
    // Work on a copy: the caller's state stays as it was if anything below throws.
    const turn = new Turn(state && { ...state, data: { ...state.data }, history: [...state.history] }, ctx);

    if (input.kind === 'start') {
      if (this.refusal(turn, input.flowId, ctx)) return turn.result();
      turn.end('cancelled');
      await this.startRun(turn, input.flowId, ctx, input.data);
      return turn.result();
    }
    const reading = input.kind === 'text' ? (this.commandOf(input.text, ctx) ?? this.aloneCommandOf(input.text, turn.state, ctx)) : undefined;
    if (reading?.type === 'flow') {
      // A flow that may not run here (a group) leaves the person where they were.
      if (this.refusal(turn, reading.flowId, ctx)) {
        this.askAgain(turn);
        return turn.result();
      }
      turn.end('cancelled');
      await this.startRun(turn, reading.flowId, ctx, reading.data);
      return turn.result();
    }
    if (reading?.type === 'unknown') {
      turn.messages.push({ key: 'engine.unknown_command' });
      if (turn.state) this.askAgain(turn);
      else await this.startRun(turn, this.menuFlow, ctx);
      return turn.result();
    }
    const command = reading?.command;
    if (!turn.state) {
      await this.startRun(turn, command === 'help' ? this.helpFlow : this.menuFlow, ctx);
      return turn.result();
    }

    const current = turn.state;
    const flow = this.flows.get(current.flowId);
    const step = flow?.steps.get(current.stepId);
    if (!flow || !step || !isAskStep(step)) {
      // The flows changed under a saved conversation (a new release): start over politely.
      turn.end('cancelled');
      turn.messages.push({ key: 'engine.flow_changed' });
      await this.startRun(turn, this.menuFlow, ctx);
      return turn.result();
    }

    if (input.kind === 'text' && characterCount(input.text) > MAX_TEXT_LENGTH) {
      this.wrong(turn, flow, step, {
        key: 'engine.reason.message_too_long',
        vars: { max: MAX_TEXT_LENGTH, length: characterCount(input.text) },
      });
      return turn.result();
    }
    if (command) {
      await this.runCommand(turn, command, flow, step, ctx);
      return turn.result();
    }
    if (input.kind === 'unsupported') {
      turn.messages.push({ key: 'engine.unsupported' });
      this.ask(turn, flow, step);
      return turn.result();
    }

    const answer = readAnswer(flow, step, current, input, ctx);
    switch (answer.type) {
      case 'wrong':
        this.wrong(turn, flow, step, answer.reason);
        break;
      case 'stale':
        turn.messages.push({ key: 'engine.stale_choice' });
        this.ask(turn, flow, step);
        break;
      case 'cancel':
        turn.end('cancelled');
        turn.messages.push({ key: 'engine.cancelled' });
        break;
      case 'pick-edit':
        current.data[PHASE] = 'edit';
        current.wrongAnswers = 0;
        this.ask(turn, flow, step);
        break;
      case 'edit':
        if (step.kind !== 'confirm') throw new Error('only a confirm step edits');
        await this.edit(turn, flow, step, answer.target, answer.returnHere, ctx);
        break;
      case 'answer': {
        const save = 'save' in step ? step.save : undefined;
        if (save && answer.value !== undefined) current.data[save] = answer.value;
        current.history.push(step.id);
        if (current.history.length > MAX_HISTORY) current.history.splice(0, current.history.length - MAX_HISTORY);
        const returnTo = current.data[RETURN_TO];
        delete current.data[RETURN_TO];
        delete current.data[PHASE];
        await this.walk(turn, flow, typeof returnTo === 'string' ? returnTo : answer.next, ctx);
        break;
      }
    }
    return turn.result();
  }

  // ------------------------------------------------------------ moving through steps

  private async startRun(turn: Turn, flowId: string, ctx: EngineContext, data: Record<string, Json> = {}): Promise<void> {
    const flow = this.entered(flowId, ctx);
    if (!flow) {
      turn.messages.push({ key: 'engine.private_only' });
      return;
    }
    const runId = ctx.newRunId();
    turn.runsStarted.push({ runId, flowId: flow.id });
    // Data given from outside (a command's argument) counts only for the flow it was meant for.
    const initial = flow.id === flowId ? startData(data) : {};
    turn.state = { flowId: flow.id, runId, stepId: flow.start, data: initial, history: [], wrongAnswers: 0 };
    await this.walk(turn, flow, flow.start, ctx);
  }

  /**
   * The flow a person actually enters when `flowId` is asked for: an unknown id means the menu,
   * a flow for residents means the gate for a visitor. Undefined: the flow is private and this
   * is a group.
   */
  private entered(flowId: string, ctx: EngineContext): Flow | undefined {
    let flow = this.flows.get(flowId) ?? this.flows.get(this.menuFlow)!;
    if (flow.audience === 'resident' && ctx.actor !== 'person') flow = this.flows.get(this.gateFlow) ?? this.flows.get(this.menuFlow)!;
    if (flow.chat === 'private' && ctx.chat === 'group') return undefined;
    return flow;
  }

  /** Says why a flow will not start here (a private matter in a group); true when refused. */
  private refusal(turn: Turn, flowId: string, ctx: EngineContext): boolean {
    if (this.entered(flowId, ctx)) return false;
    turn.messages.push({ key: 'engine.private_only' });
    return true;
  }

  /** The current question again, if the person is at one. */
  private askAgain(turn: Turn): void {
    const state = turn.state;
    const flow = state && this.flows.get(state.flowId);
    const step = state && flow?.steps.get(state.stepId);
    if (flow && step && isAskStep(step)) this.ask(turn, flow, step);
  }

  /** Runs steps from `stepId` until one waits for an answer or the run ends. */
  private async walk(turn: Turn, flow: Flow, stepId: string, ctx: EngineContext): Promise<void> {
    let next = stepId;
    for (;;) {
      const state = turn.state!;
      if (++turn.steps > this.maxSteps) {
        throw new Error(`flow "${flow.id}" ran ${this.maxSteps} steps without asking anything (a loop?)`);
      }
      if (next === END) {
        turn.end('completed');
        return;
      }
      const step = flow.steps.get(next);
      if (!step) throw new Error(`flow "${flow.id}" has no step "${next}"`);
      state.stepId = step.id;
      switch (step.kind) {
        case 'say':
          turn.messages.push({ key: step.prompt, vars: displayVars(flow, state.data, turn.ctx) });
          next = step.next;
          break;
        case 'branch': {
          const value = lookup(state.data, step.on);
          const key = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
          next = Object.hasOwn(step.cases, key) ? step.cases[key]! : step.default;
          break;
        }
        case 'effect': {
          const args = resolveArgs(step.args, state.data) as Record<string, Json>;
          const result = await ctx.runEffect(state.runId, effectKey(state, step.id), { name: step.effect, args });
          if (step.save) state.data[step.save] = result;
          next = step.next;
          break;
        }
        case 'goto': {
          turn.end('completed');
          if (!this.flows.get(step.flow)) throw new Error(`flow "${flow.id}" goes to a missing flow "${step.flow}"`);
          const target = this.entered(step.flow, ctx);
          if (!target) {
            turn.messages.push({ key: 'engine.private_only' });
            return;
          }
          const runId = ctx.newRunId();
          turn.runsStarted.push({ runId, flowId: target.id });
          turn.state = { flowId: target.id, runId, stepId: target.start, data: {}, history: [], wrongAnswers: 0 };
          flow = target;
          next = target.start;
          break;
        }
        default:
          state.wrongAnswers = 0;
          this.ask(turn, flow, step);
          return;
      }
    }
  }

  private async edit(turn: Turn, flow: Flow, step: ConfirmStep, target: string, returnHere: boolean, ctx: EngineContext) {
    const state = turn.state!;
    delete state.data[PHASE];
    state.wrongAnswers = 0;
    if (returnHere) {
      state.history.push(step.id);
      state.data[RETURN_TO] = step.id;
    } else {
      // Walking on again from an earlier step: forget the questions after it.
      const at = state.history.lastIndexOf(target);
      if (at >= 0) state.history.length = at;
    }
    await this.walk(turn, flow, target, ctx);
  }

  private wrong(turn: Turn, flow: Flow, step: AskStep, reason: EngineMessage): void {
    const state = turn.state!;
    state.wrongAnswers += 1;
    turn.messages.push(reason);
    if (state.wrongAnswers % this.humanAfter === 0) {
      turn.messages.push({ key: 'engine.offer_human' });
      turn.offeredHuman = true;
    }
    this.ask(turn, flow, step);
  }

  // ------------------------------------------------------------ commands

  /**
   * Reads a text as a command: built-in ones first (`/menu`, 取消…), then the flows' own
   * (`/bind CODE`, 绑定 CODE). A slash command with an argument goes to the flow that takes one
   * (`/start CODE` is a deep link, `/start` alone the menu).
   */
  private commandOf(text: string, ctx: RenderContext): CommandReading | undefined {
    if (text.length > 200) return undefined;
    const slash = parseSlashCommand(text);
    if (slash) {
      const flow = this.slashCommands.get(slash.name);
      const builtIn = SLASH_COMMANDS[slash.name];
      // The loader lets a flow claim a built-in name only for the form with an argument.
      if (flow && (!builtIn || slash.argument !== '')) {
        return { type: 'flow', flowId: flow.id, data: argumentData(flow, slash.argument) };
      }
      if (builtIn) return { type: 'built-in', command: builtIn };
      return { type: 'unknown' };
    }
    if (text.length > 60) return undefined;
    const typed = normalizeAnswer(text);
    for (const [command, key] of BUILT_IN_WORDS) {
      if (ctx.words(key).some((w) => normalizeAnswer(w) === typed)) return { type: 'built-in', command };
    }
    if (this.wordCommands.length === 0) return undefined;
    const words: Record<string, string[]> = {};
    const withArgument: string[] = [];
    for (const flow of this.wordCommands) {
      words[flow.id] = ctx.words(flow.command!.words!);
      if (flow.command!.argument) withArgument.push(flow.id);
    }
    const word = parseWordCommand(text, words, { withArgument });
    if (!word) return undefined;
    const flow = this.flows.get(word.name)!;
    return { type: 'flow', flowId: flow.id, data: argumentData(flow, word.argument) };
  }

  /**
   * A message that is only a code (`85D6-5BDA`) starts the flow that takes it — in a private
   * chat, at a menu, a choice, a confirmation or with no flow running; never when the question
   * wants the person's own words (a text or an address), which the message then answers.
   */
  private aloneCommandOf(text: string, state: FlowState | null, ctx: EngineContext): CommandReading | undefined {
    if (this.aloneCommands.length === 0 || ctx.chat !== 'private' || text.length > 40) return undefined;
    if (state) {
      const step = this.flows.get(state.flowId)?.steps.get(state.stepId);
      if (step && (step.kind === 'text' || step.kind === 'location')) return undefined;
    }
    const found = this.aloneCommands.find((command) => command.matches(text));
    if (!found) return undefined;
    return { type: 'flow', flowId: found.flow.id, data: argumentData(found.flow, text.trim()) };
  }

  private async runCommand(turn: Turn, command: Command, flow: Flow, step: AskStep, ctx: EngineContext) {
    const state = turn.state!;
    switch (command) {
      case 'cancel':
        turn.end('cancelled');
        turn.messages.push({ key: 'engine.cancelled' });
        return;
      case 'menu':
        if (flow.id === this.menuFlow) {
          this.ask(turn, flow, step);
          return;
        }
        turn.end('cancelled');
        await this.startRun(turn, this.menuFlow, ctx);
        return;
      case 'help': {
        if (flow.id === this.menuFlow && this.flows.get(this.helpFlow)) {
          // In the menu "help" is one of its choices: the command shows the same help text as
          // the choice, ending the menu the same way (the help flow comes back to it).
          turn.end('completed');
          await this.startRun(turn, this.helpFlow, ctx);
          return;
        }
        const specific = step.help ?? flow.help;
        if (specific) turn.messages.push({ key: specific, vars: displayVars(flow, state.data, turn.ctx) });
        turn.messages.push({ key: 'engine.help' });
        turn.offeredHuman = true;
        this.ask(turn, flow, step);
        return;
      }
      case 'back': {
        state.wrongAnswers = 0;
        delete state.data[RETURN_TO];
        if (state.data[PHASE] !== undefined) {
          delete state.data[PHASE];
          this.ask(turn, flow, step);
          return;
        }
        const previous = state.history.pop();
        const previousStep = previous === undefined ? undefined : flow.steps.get(previous);
        if (!previousStep || !isAskStep(previousStep)) {
          turn.messages.push({ key: 'engine.back_at_start' });
          this.ask(turn, flow, step);
          return;
        }
        state.stepId = previousStep.id;
        this.ask(turn, flow, previousStep);
        return;
      }
    }
  }

  // ------------------------------------------------------------ questions

  /** Adds the step's question (with its choices) to the turn. */
  private ask(turn: Turn, flow: Flow, step: AskStep): void {
    const state = turn.state!;
    const vars = displayVars(flow, state.data, turn.ctx);
    switch (step.kind) {
      case 'choice':
        turn.messages.push({
          key: step.prompt,
          vars,
          choices: choiceOptions(step, state.data).map((option) =>
            'text' in option ? { label: option.text, value: option.value } : { labelKey: option.label, vars, value: option.value },
          ),
        });
        return;
      case 'photo':
        turn.messages.push(
          step.optional ? { key: step.prompt, vars, choices: [{ labelKey: 'engine.choice.skip', value: 'skip' }] } : { key: step.prompt, vars },
        );
        return;
      case 'confirm':
        if (state.data[PHASE] === 'edit' && Array.isArray(step.edit)) {
          turn.messages.push({ key: 'engine.confirm.pick', vars, choices: editChoices(step) });
        } else {
          turn.messages.push({ key: step.prompt, vars, choices: confirmChoices(step) });
        }
        return;
      case 'location':
        turn.messages.push(step.typed_prompt ? { key: step.prompt, vars, typedKey: step.typed_prompt } : { key: step.prompt, vars });
        return;
      default:
        turn.messages.push({ key: step.prompt, vars });
    }
  }
}

/** A command's argument as the run's first data, under the name the flow gives it. */
function argumentData(flow: Flow, argument: string): Record<string, Json> {
  const name = flow.command?.argument;
  return name && argument !== '' ? { [name]: argument } : {};
}

/** Data handed to a new run from outside; names starting with "_" are the engine's own. */
function startData(data: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [name, value] of Object.entries(data)) if (!name.startsWith('_')) out[name] = value;
  return out;
}

/**
 * The key an effect runs under: the step's id on the first pass, `id#2`, `id#3`… when a flow
 * comes back to it after a new answer (a code typed again after a wrong one). The pass count is
 * kept in the run's data, so the same input handled twice reaches the same key and the effect
 * still runs once per pass.
 */
function effectKey(state: FlowState, stepId: string): string {
  const passes = state.data[PASSES];
  const counts: Record<string, Json> = passes !== null && typeof passes === 'object' && !Array.isArray(passes) ? { ...passes } : {};
  const done = typeof counts[stepId] === 'number' ? counts[stepId] : 0;
  counts[stepId] = done + 1;
  state.data[PASSES] = counts;
  return done === 0 ? stepId : `${stepId}#${done + 1}`;
}

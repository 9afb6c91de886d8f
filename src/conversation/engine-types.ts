/**
 * The contract between the flow engine (pure: decides what happens next) and the
 * conversation service (persists state, runs effects exactly once, writes the outbox).
 */
import type { Vars } from '../i18n/translator.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Where a person stands in a flow run. `null` state = not in any flow. */
export interface FlowState {
  flowId: string;
  runId: string;
  stepId: string;
  /** Answers collected so far, by the `save` names the flow gives them. */
  data: Record<string, Json>;
  /** Ask-steps visited in this run, oldest first, for `back`. */
  history: string[];
  /** Wrong answers to the current step in a row. */
  wrongAnswers: number;
}

/** What the person did, as the engine sees it. */
export type EngineInput =
  | { kind: 'text'; text: string }
  /** A pressed button; the service has verified its signature and that it belongs to this run and step. */
  | { kind: 'choice'; runId: string; stepId: string; value: string }
  | { kind: 'photo'; ref: string }
  | { kind: 'location'; latitude: number; longitude: number; label?: string }
  | { kind: 'unsupported'; type: string }
  /**
   * Start a flow from outside (first contact, a menu deep link, a timeout closing), with
   * answers already known (a command's argument) as the run's first data.
   */
  | { kind: 'start'; flowId: string; data?: Record<string, Json> };

/** A message to render in the person's language. */
export interface EngineMessage {
  key: string;
  vars?: Vars;
  choices?: EngineChoice[];
  /**
   * Shown instead of `key` where the channel cannot send a location (its capabilities say so):
   * the same request without offering a location pin, asking for the place in words.
   */
  typedKey?: string;
}

/**
 * A choice offered: its label is a locale key (with variables), or — for choices listed from
 * saved data, such as the members of a household — text shown as it is.
 */
export type EngineChoice = {
  /** Comes back in a `choice` input; the service signs it with run and step. */
  value: string;
} & ({ labelKey: string; vars?: Vars } | { label: string });

/** Who is speaking, as far as flows care: a visitor (account not bound to anyone) or a known person. */
export type ActorKind = 'visitor' | 'person';

/** Where the person is speaking: a one-to-one chat, or a group (where private matters are refused). */
export type ChatKind = 'private' | 'group';

/** An effect the engine wants run, at a step of a run; its result is saved under `save`. */
export interface EffectCall {
  name: string;
  args: Record<string, Json>;
}

/**
 * Services the engine may call while deciding. `runEffect` is idempotent per (runId, stepId):
 * called again for the same step it returns the recorded result without running twice.
 */
export interface EngineContext {
  locale: string;
  /** Visitors are led to binding instead of into flows whose `audience` is `resident`. */
  actor: ActorKind;
  /** In a group, flows marked `chat: private` are refused with a request to write privately. */
  chat: ChatKind;
  /** Renders a key in the person's language (for matching typed words to choices). */
  t(key: string, vars?: Vars): string;
  /** Splits a "a|b|c" entry into words. */
  words(key: string): string[];
  runEffect(runId: string, stepId: string, call: EffectCall): Promise<Json>;
  newRunId(): string;
}

export type RunEnd = 'completed' | 'cancelled' | 'timed_out';

export interface EngineResult {
  state: FlowState | null;
  messages: EngineMessage[];
  /** Runs that began during this input (a `goto` flow starts a new run). */
  runsStarted: { runId: string; flowId: string }[];
  /** Runs that ended during this input, with how. */
  runsEnded: { runId: string; how: RunEnd }[];
  /** true when the person asked for a person (after three wrong answers, or `help`). */
  offeredHuman?: boolean;
}

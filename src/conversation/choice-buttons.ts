/**
 * A flow choice's button: `c|<fingerprint of run and step>|<value token>|<tag>`. It is bound to the
 * step it was offered at, so a button from a step the person has left (or another person's run)
 * is stale. The value travels as its token (`choice-value-token.ts`), so it always fits the
 * channel's data limit. The registry (`src/buttons/`) signs and sizes it; the conversation service
 * registers what a press does.
 */
import { createHash } from 'node:crypto';
import type { ButtonKind } from '../buttons/button-kind.js';
import { choiceValueToken } from './choice-value-token.js';

/** A choice button's fields: where it was offered and the choice's token (match with `tokenMeans`). */
export interface ChoiceButtonFields {
  at: string;
  token: string;
}

export const choiceButton: ButtonKind<ChoiceButtonFields> = {
  prefix: 'c',
  write: ({ at, token }) => [at, token],
  read: (parts) => (parts.length === 2 ? { at: parts[0]!, token: parts[1]! } : null),
};

/** A short, stable fingerprint of a run and step, so button data stays short. */
export function fingerprint(runId: string, stepId: string): string {
  return createHash('sha256').update(`${runId}/${stepId}`).digest().subarray(0, 6).toString('base64url');
}

/** The fields of the button for `value` at a run's step. */
export function choiceButtonFields(runId: string, stepId: string, value: string): ChoiceButtonFields {
  return { at: fingerprint(runId, stepId), token: choiceValueToken(value) };
}

/** The step a genuine choice button answers, if the person is at it now; 'stale' when they are elsewhere. */
export function choiceAt(fields: ChoiceButtonFields, current: { runId: string; stepId: string } | null): { runId: string; stepId: string; token: string } | 'stale' {
  if (!current || fields.at !== fingerprint(current.runId, current.stepId)) return 'stale';
  return { runId: current.runId, stepId: current.stepId, token: fields.token };
}

/**
 * The status line after a ticket page's form (the layout's `status`): what was done, or why not,
 * in the viewer's words. A refusal by the policy uses the policy's own polite reasons.
 */
import { denialMessageKey } from '../../features/policy/denials.js';
import type { Translate } from '../shell/viewer.js';
import type { TicketActionOutcome, TicketActionProblem } from './ticket-actions.js';
import type { TicketPageAction } from './ticket-view.js';

const DONE_KEYS: Record<Exclude<TicketPageAction, 'reveal_phone'>, string> = {
  reply: 'staffweb.inbox.outcome.reply',
  note: 'staffweb.inbox.outcome.note',
  claim: 'staffweb.inbox.outcome.claim',
  assign: 'staffweb.inbox.outcome.assign',
  major: 'staffweb.inbox.outcome.major',
  resolve: 'staffweb.inbox.outcome.resolve',
  reopen: 'staffweb.inbox.outcome.reopen',
  merge: 'staffweb.inbox.outcome.merge',
};

const PROBLEM_KEYS: Record<TicketActionProblem, string> = {
  text_required: 'staffweb.inbox.outcome.text_required',
  text_too_long: 'staffweb.inbox.outcome.text_too_long',
  assignee_required: 'staffweb.inbox.outcome.assignee_required',
  assignee_not_staff: 'staffweb.inbox.outcome.assignee_not_staff',
  into_required: 'staffweb.inbox.outcome.into_required',
  into_not_found: 'staffweb.inbox.outcome.into_not_found',
  into_same: 'staffweb.inbox.outcome.into_same',
  no_reporter: 'staffweb.inbox.outcome.no_reporter',
};

const REFUSAL_KEYS: Partial<Record<string, string>> = {
  already_claimed: 'staffweb.inbox.outcome.already_claimed',
  merge_target_not_open: 'staffweb.inbox.outcome.merge_target_not_open',
  merge_into_self: 'staffweb.inbox.outcome.into_same',
  version_conflict: 'staffweb.inbox.outcome.changed_meanwhile',
};

/** The layout's status for an outcome (`ok` announced politely, `error` as an alert). */
export function ticketActionStatus(t: Translate, outcome: TicketActionOutcome): { kind: 'ok' | 'error'; text: string } {
  switch (outcome.status) {
    case 'done': {
      const text = t(DONE_KEYS[outcome.action], { number: outcome.number });
      return { kind: 'ok', text: outcome.nobodyTold ? t('staffweb.inbox.outcome.nobody_told', { done: text }) : text };
    }
    case 'revealed':
      return {
        kind: 'ok',
        text: outcome.phone
          ? t('staffweb.inbox.outcome.phone', { name: outcome.maskedName, phone: outcome.phone })
          : t('staffweb.inbox.outcome.no_phone', { name: outcome.maskedName }),
      };
    case 'unchanged':
      return { kind: 'ok', text: t('staffweb.inbox.outcome.unchanged', { number: outcome.number }) };
    case 'invalid':
      return { kind: 'error', text: t(PROBLEM_KEYS[outcome.problem]) };
    case 'denied':
      return { kind: 'error', text: t(denialMessageKey(outcome.reason)) };
    case 'not_found':
      return { kind: 'error', text: t('staffweb.inbox.outcome.not_found') };
    case 'refused':
      return { kind: 'error', text: t(REFUSAL_KEYS[outcome.error] ?? 'staffweb.inbox.outcome.not_now') };
  }
}

/** The ticket page's status line after a dispatch move: what was done, or why not, in the viewer's words. */
import type { StaffDispatchMove, StaffDispatchOutcome } from '../../features/repairs/dispatch/service/staff-dispatch.js';
import { STAFF_DISPATCH_MOVES } from '../../features/repairs/dispatch/service/staff-job-view.js';
import { jobStatusWords } from '../../features/repairs/dispatch/chat/dispatch-history-text.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import type { Translate } from '../shell/viewer.js';

export function isStaffDispatchMove(value: string): value is StaffDispatchMove {
  return (STAFF_DISPATCH_MOVES as readonly string[]).includes(value);
}

const DONE_KEYS: Record<StaffDispatchMove, string> = {
  reassign: 'staffweb.inbox.dispatch.done.reassign',
  take_over: 'staffweb.inbox.dispatch.done.take_over',
  cancel: 'staffweb.inbox.dispatch.done.cancel',
};

export function dispatchStatus(t: Translate, outcome: StaffDispatchOutcome, move: StaffDispatchMove): { kind: 'ok' | 'error'; text: string } {
  switch (outcome.status) {
    case 'done':
      return { kind: 'ok', text: t(DONE_KEYS[move], { number: outcome.number }) };
    case 'not_found':
      return { kind: 'error', text: t('staffweb.inbox.dispatch.not_a_job') };
    case 'not_now':
      return { kind: 'error', text: t('dispatch.command.not_now', { number: outcome.number, status: jobStatusWords(t, outcome.jobStatus) }) };
    case 'member_not_found':
    case 'member_ambiguous':
      return { kind: 'error', text: t('dispatch.command.member_not_found', { number: outcome.number }) };
    case 'denied':
      return { kind: 'error', text: t(denialMessageKey(outcome.reason)) };
  }
}

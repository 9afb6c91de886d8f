/**
 * One vocabulary of ticket states: every message that tells a person what state a ticket is in
 * (or has just come to) uses that state's own label — the word "我的工单" and the staff card show
 * (`tickets.status.*`) — in every language. A resident told "已受理" while the ticket says
 * "待受理" cannot tell whether anyone has taken it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusKey } from '../../src/features/tickets/rules/labels.js';
import type { TicketStatus } from '../../src/features/tickets/rules/statuses.js';
import { loadTranslator } from '../../src/i18n/translator.js';

const translator = loadTranslator(join(import.meta.dirname, '..', '..', 'locales'));

/** Every message naming a state, with the state it names. */
const MESSAGES_NAMING_A_STATE: Record<string, TicketStatus[]> = {
  // The resident, on filing and in "我的工单".
  'flows.complaint.done': ['new'],
  'tickets.notice.filed': ['new'],
  'tickets.notice.filed_for_you': ['new'],
  'flows.my_tickets.reopened': ['in_progress'],
  'flows.my_tickets.window_passed': ['resolved'],
  'flows.my_tickets.finished': ['withdrawn', 'merged'],
  'flows.my_tickets.withdrawn': ['withdrawn'],
  'flows.rate_ticket.ask_stars': ['resolved'],
  'tickets.notice.resolved': ['resolved'],
  'tickets.notice.reopened': ['in_progress'],
  'tickets.notice.merged': ['merged'],
  'tickets.view.footer_resolved': ['resolved'],
  'tickets.view.footer_withdrawn': ['withdrawn'],
  'tickets.view.footer_merged': ['merged'],
  'tickets.event.resolved': ['resolved'],
  'tickets.event.reopened': ['in_progress'],
  'tickets.event.merged': ['merged'],
  'tickets.event.withdrawn': ['withdrawn'],
  'tickets.event.closed': ['closed'],
  // Staff: the lines under a card, and the digests.
  'inbox.line.resolved': ['resolved'],
  'inbox.line.reopened': ['in_progress'],
  'inbox.line.reopened_by_message': ['in_progress'],
  'inbox.line.merged': ['merged'],
  'inbox.line.merged_in': ['merged'],
  'inbox.line.withdrawn': ['withdrawn'],
  'inbox.error.merge_target_not_open': ['new', 'in_progress'],
  'tickets.digest.counts': ['resolved'],
  'tickets.digest.weekly_counts': ['resolved'],
  // Open311's answer to a filing.
  'tickets.open311.service_notice': ['new'],
};

/** Words for a state that are not its label: seeing one means a message drifted from the vocabulary. */
const OFF_VOCABULARY: Record<string, RegExp> = {
  'zh-CN': /已受理|受理了|已经办结|已经撤回|已经关闭|已并入|并入本|重新办理|办理中/,
  en: /received:|has been received|received as number|taken up again|handled together/i,
};

describe('ticket states have one name everywhere', () => {
  for (const locale of translator.locales) {
    const label = (status: TicketStatus) => translator.t(locale, statusKey(status));

    it.each(Object.entries(MESSAGES_NAMING_A_STATE))(`${locale}: %s uses the label of its state`, (key, statuses) => {
      const text = translator.t(locale, key).toLowerCase();
      for (const status of statuses) expect(text, `${key} names ${status}`).toContain(label(status).toLowerCase());
    });

    it(`${locale}: no text names a state by another word`, () => {
      const drifted = translator.keys(locale).filter((key) => OFF_VOCABULARY[locale]!.test(translator.t(locale, key)));
      expect(drifted).toEqual([]);
    });
  }

  it.each(translator.locales)('%s: binding requests, too, have one word per state (chat, staff chat, command line, my data)', (locale) => {
    const label = (status: 'approved' | 'rejected') => translator.t(locale, `privacy.mydata.request_status.${status}`).toLowerCase();
    const naming: Record<string, 'approved' | 'rejected'> = {
      'identity.notice.approved': 'approved',
      'identity.notice.rejected': 'rejected',
      'inbox.answer.request_already_approved': 'approved',
      'inbox.answer.request_already_rejected': 'rejected',
      'cli.binding.approved_matched': 'approved',
      'cli.binding.approved_added': 'approved',
      'cli.binding.rejected': 'rejected',
      'cli.binding.already_approved': 'approved',
      'cli.binding.already_rejected': 'rejected',
    };
    for (const [key, status] of Object.entries(naming)) expect(translator.t(locale, key).toLowerCase(), key).toContain(label(status));
  });

  it('the filing reply names the state the ticket view shows for a new ticket', () => {
    for (const locale of translator.locales) {
      const shown = translator.t(locale, 'tickets.view.status', { status: translator.t(locale, statusKey('new')), date: '' });
      const stateWord = shown.split(/[:：]\s*/)[1]!.split(/\s*·/)[0]!;
      expect(translator.t(locale, 'flows.complaint.done')).toContain(stateWord);
    }
  });
});

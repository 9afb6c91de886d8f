/**
 * One roll-call list, written to a head's or a steward's private chat in the caller's
 * transaction: the alert, how long ago it went out, and each household not answered yet — its
 * address, its members' names with masked phones (to call them; the full number goes through
 * the staff's reveal, audited) — with one "已电话联系" button per household. A steward's list is
 * grouped by household group. On a channel with buttons the list goes 20 households a message
 * (the buttons under their own households); on one without, one numbered list kept as the
 * account's numbered actions, so "3" marks the third household. Alert priority: ahead of every
 * bulk send.
 */
import { numberedText } from '../../../buttons/numbered-choices.js';
import type { OutboundChoice, OutboundMessage } from '../../../channels/types.js';
import type { Tx } from '../../../db/prisma-types.js';
import type { Vars } from '../../../i18n/translator.js';
import { keepNumberedActions } from '../../../notify/numbered-actions.js';
import { PRIORITY_ALERT, writeOutbox, type QueuedOutboxRow } from '../../../outbox/outbox.js';
import { maskPhone } from '../../privacy/mask.js';
import { splitText } from '../../../util/split-text.js';
import type { NoticeAnswerDeps } from '../answers/answer-deps.js';
import type { RollCallStage } from './rules/escalation-times.js';
import { reachedButton } from './reached-button.js';
import type { UnansweredHousehold } from './unanswered.js';

/** Households per message where each carries its own button (well under the buttons a message may carry; a list stays readable). */
const PER_MESSAGE = 20;

export interface RollCallList {
  recipientId: string;
  notice: { number: string; title: string };
  stage: RollCallStage;
  minutes: number;
  households: readonly UnansweredHousehold[];
  at: Date;
}

/** Writes the list; no rows when the recipient has no reachable account. */
export async function writeRollCallList(tx: Tx, deps: NoticeAnswerDeps, list: RollCallList): Promise<QueuedOutboxRow[]> {
  const account = await tx.chatAccount.findFirst({
    where: { residentId: list.recipientId, unreachableAt: null },
    orderBy: [{ lastSeenAt: 'desc' }, { id: 'asc' }],
    select: { id: true, communityId: true, channel: true, externalId: true, locale: true, community: { select: { defaultLocale: true } } },
  });
  if (!account) return [];
  const locale = account.locale ?? account.community.defaultLocale;
  const t = (key: string, vars?: Vars) => deps.translator.t(locale, key, vars);
  const ordered = list.stage === 'stewards' ? [...list.households].sort((a, b) => (a.groupCode ?? '\uffff').localeCompare(b.groupCode ?? '\uffff')) : [...list.households];
  const header = t(list.stage === 'heads' ? 'notices.rollcall.list.heads_header' : 'notices.rollcall.list.stewards_header', {
    number: list.notice.number,
    title: list.notice.title,
    minutes: list.minutes,
    count: ordered.length,
  });
  const lineOf = (household: UnansweredHousehold) => {
    const members = household.members.map((m) => (m.phone ? t('notices.rollcall.list.member', { name: m.name, phone: maskPhone(m.phone) }) : m.name)).join(t('notices.rollcall.list.member_separator'));
    return t('notices.rollcall.list.household', { address: household.address, members: members || t('notices.rollcall.list.no_members') });
  };
  const body = (households: readonly UnansweredHousehold[], offset: number) => {
    const lines: string[] = [];
    let group: string | null | undefined;
    households.forEach((household, i) => {
      if (list.stage === 'stewards' && household.groupCode !== group) {
        group = household.groupCode;
        lines.push(group ? t('notices.rollcall.list.group', { code: group }) : t('notices.rollcall.list.no_group_heading'));
      }
      lines.push(`${offset + i + 1}. ${lineOf(household)}`);
    });
    return lines.join('\n');
  };
  const items = ordered.map((household, index) => ({
    label: t('notices.rollcall.list.reached_button', { index: index + 1, address: household.address }),
    fields: { noticeNumber: list.notice.number, householdId: household.id },
  }));
  const channel = account.channel;
  const limit = deps.textLimitOf(channel);
  const capabilities = deps.capabilitiesOf(channel);
  const messages: OutboundMessage[] = [];
  if (capabilities.buttons) {
    for (let start = 0; start < ordered.length; start += PER_MESSAGE) {
      const chunk = ordered.slice(start, start + PER_MESSAGE);
      const text = [start === 0 ? header : '', body(chunk, start), '', t('notices.rollcall.list.press_hint')].filter((part, i) => i > 0 || part).join('\n');
      const pieces = splitText(text, limit);
      const choices: OutboundChoice[] = deps.buttons.buttons(reachedButton, capabilities, items.slice(start, start + PER_MESSAGE)) ?? [];
      messages.push(...pieces.map((piece, i) => (i === pieces.length - 1 ? { text: piece, choices } : { text: piece })));
    }
  } else {
    // Typed numbers: the numbered lines are the households themselves (a steward's with their group).
    const choices = deps.buttons.forNumbers(reachedButton, items);
    const labels = ordered.map((household) =>
      list.stage === 'stewards' ? t('notices.rollcall.list.in_group', { group: household.groupCode ?? t('notices.rollcall.list.no_group'), line: lineOf(household) }) : lineOf(household),
    );
    const text = numberedText([header, t('notices.rollcall.list.number_hint')].join('\n'), labels, t);
    messages.push(...splitText(text, limit).map((piece) => ({ text: piece })));
    await keepNumberedActions(tx, { id: account.id, chatId: account.externalId }, choices, list.at);
  }
  return writeOutbox(
    tx,
    messages.map((message) => ({ communityId: account.communityId, channel, chatId: account.externalId, chatAccountId: account.id, message, priority: PRIORITY_ALERT, chosenLocale: account.locale })),
  );
}

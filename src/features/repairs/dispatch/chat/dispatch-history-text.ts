/** A job's dispatch history in words, for the staff chat (one line per offer, in the community's time). */
import type { Vars } from '../../../../i18n/translator.js';
import { localMinute } from '../../../tickets/scheduling/local-format.js';
import type { DispatchHistory } from '../service/dispatch-history.js';
import { isWorkOrderStatus, type WorkOrderStatus } from '../../rules/work-order-state.js';

const STATUS_KEYS: Readonly<Record<WorkOrderStatus, string>> = {
  received: 'dispatch.status.received',
  offered: 'dispatch.status.offered',
  accepted: 'dispatch.status.accepted',
  on_the_way: 'dispatch.status.on_the_way',
  done: 'dispatch.status.done',
  confirmed: 'dispatch.status.confirmed',
  cancelled: 'dispatch.status.cancelled',
  unassigned: 'dispatch.status.unassigned',
};

const OFFER_KEYS: Readonly<Record<string, string>> = {
  open: 'dispatch.offer_status.open',
  accepted: 'dispatch.offer_status.accepted',
  declined: 'dispatch.offer_status.declined',
  expired: 'dispatch.offer_status.expired',
  withdrawn: 'dispatch.offer_status.withdrawn',
};

/** Words of one language: a translator bound to a locale (the chat's, the console viewer's). */
export type Words = (key: string, vars?: Vars) => string;

export function jobStatusWords(t: Words, status: string): string {
  return t(isWorkOrderStatus(status) ? STATUS_KEYS[status] : STATUS_KEYS.received);
}

export function offerStatusWords(t: Words, status: string): string {
  return t(OFFER_KEYS[status] ?? OFFER_KEYS['open']!);
}

export function dispatchHistoryText(t: Words, number: string, history: DispatchHistory, timezone: string): string {
  const lines = [t('dispatch.history.title', { number, status: jobStatusWords(t, history.status), holder: history.holder ?? t('dispatch.history.nobody') })];
  for (const offer of history.offers) {
    lines.push(t('dispatch.history.offer', { at: localMinute(offer.offeredAt, timezone), name: offer.memberName, status: offerStatusWords(t, offer.status) }));
  }
  if (history.offers.length === 0) lines.push(t('dispatch.history.no_offers'));
  return lines.join('\n');
}

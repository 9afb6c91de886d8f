/**
 * The buttons under a ticket's card in a Telegram staff chat. Each carries
 * `i|<action code>|<ticket id>|<tag>`: short (well under Telegram's 64 bytes), signed, so a forged
 * or altered press is refused, and distinct from the flows' `c|…` buttons. A binding request's
 * post has two more, the same way: `i|ba|<request id>|<tag>` (approve) and `i|br|…` (reject) —
 * the request's id, not its number, so a button can only ever mean the request it was posted for.
 */
import type { OutboundChoice } from '../channels/types.js';
import type { ButtonSigner } from '../security/button-signing.js';
import type { StaffActionName } from './staff-commands.js';

/** Telegram's limit for callback data. */
export const MAX_BUTTON_DATA_BYTES = 64;
const PREFIX = 'i';

const CODES: Record<StaffActionName, string> = {
  claim: 'c',
  assign: 'a',
  note: 'n',
  major: 'm',
  resolve: 'r',
  reopen: 'o',
  merge: 'g',
};
const ACTIONS_BY_CODE = new Map(Object.entries(CODES).map(([action, code]) => [code, action as StaffActionName]));

/** The card's buttons, in the order shown. */
export const CARD_BUTTONS: readonly StaffActionName[] = ['claim', 'assign', 'note', 'major', 'resolve', 'reopen', 'merge'];

/** True when button data is meant for the inbox (genuine or not). */
export function isInboxButton(data: string | undefined): boolean {
  return data !== undefined && data.startsWith(`${PREFIX}|`);
}

/** Signed data for one button. Throws if it would not fit Telegram's limit (a ticket id far too long). */
export function cardButtonData(signer: ButtonSigner, action: StaffActionName, ticketId: string): string {
  const data = signer.sign([PREFIX, CODES[action], ticketId]);
  if (Buffer.byteLength(data, 'utf8') > MAX_BUTTON_DATA_BYTES) throw new Error('inbox button data longer than 64 bytes');
  return data;
}

/** The action and ticket of genuine data; null for anything forged, altered or malformed. */
export function readCardButton(signer: ButtonSigner, data: string): { action: StaffActionName; ticketId: string } | null {
  const fields = signer.verify(data);
  if (!fields || fields.length !== 3 || fields[0] !== PREFIX) return null;
  const action = ACTIONS_BY_CODE.get(fields[1]!);
  if (!action || fields[2] === '') return null;
  return { action, ticketId: fields[2]! };
}

/** The card's choices, labelled by `label(action)`. */
export function cardChoices(signer: ButtonSigner, ticketId: string, label: (action: StaffActionName) => string): OutboundChoice[] {
  return CARD_BUTTONS.map((action) => ({ label: label(action), data: cardButtonData(signer, action, ticketId) }));
}

/** What staff decide about a binding request. */
export type RequestDecision = 'approve' | 'reject';

const REQUEST_CODES: Record<RequestDecision, string> = { approve: 'ba', reject: 'br' };
const DECISIONS_BY_CODE = new Map(Object.entries(REQUEST_CODES).map(([decision, code]) => [code, decision as RequestDecision]));

/** The request post's buttons, in the order shown. */
export const REQUEST_BUTTONS: readonly RequestDecision[] = ['approve', 'reject'];

/** Signed data for a request's button. Throws if it would not fit Telegram's limit. */
export function requestButtonData(signer: ButtonSigner, decision: RequestDecision, requestId: string): string {
  const data = signer.sign([PREFIX, REQUEST_CODES[decision], requestId]);
  if (Buffer.byteLength(data, 'utf8') > MAX_BUTTON_DATA_BYTES) throw new Error('inbox button data longer than 64 bytes');
  return data;
}

/** The decision and request of genuine data; null for anything forged, altered, malformed or a ticket's button. */
export function readRequestButton(signer: ButtonSigner, data: string): { decision: RequestDecision; requestId: string } | null {
  const fields = signer.verify(data);
  if (!fields || fields.length !== 3 || fields[0] !== PREFIX) return null;
  const decision = DECISIONS_BY_CODE.get(fields[1]!);
  if (!decision || fields[2] === '') return null;
  return { decision, requestId: fields[2]! };
}

/** The request post's choices, labelled by `label(decision)`. */
export function requestChoices(signer: ButtonSigner, requestId: string, label: (decision: RequestDecision) => string): OutboundChoice[] {
  return REQUEST_BUTTONS.map((decision) => ({ label: label(decision), data: requestButtonData(signer, decision, requestId) }));
}

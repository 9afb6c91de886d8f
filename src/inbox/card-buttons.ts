/**
 * The buttons under a ticket's card in a staff chat. Each carries
 * `i|<action code>|<ticket id>|<tag>`: short, signed, and distinct from the flows' `c|…` buttons.
 * A binding request's post has two more: `i|ba|<request id>|<tag>` (approve) and `i|br|…`
 * (reject) — the request's id, not its number, so a button can only ever mean the request it was
 * posted for. The kinds are declared here; the button registry (`src/buttons/`) signs them, holds
 * them to the channel's data limit and hands presses to the handlers the staff inbox registers.
 */
import type { ButtonKind } from '../buttons/button-kind.js';
import type { ButtonMaker } from '../buttons/button-registry.js';
import type { ChannelCapabilities, OutboundChoice } from '../channels/types.js';
import type { StaffActionName } from './staff-commands.js';

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

/** A card button's fields: the action and the ticket. */
export interface CardButtonFields {
  action: StaffActionName;
  ticketId: string;
}

/** `i|<action code>|<ticket id>|<tag>`; a code no action has is not a card button's. */
export const cardButton: ButtonKind<CardButtonFields> = {
  prefix: 'i',
  write: ({ action, ticketId }) => [CODES[action], ticketId],
  read: (parts) => {
    const action = parts.length === 2 ? ACTIONS_BY_CODE.get(parts[0]!) : undefined;
    return action && parts[1] !== '' ? { action, ticketId: parts[1]! } : null;
  },
};

/** The card's choices on a channel, labelled by `label(action)`; undefined where it shows no buttons. */
export function cardChoices(
  buttons: ButtonMaker,
  capabilities: ChannelCapabilities | undefined,
  ticketId: string,
  label: (action: StaffActionName) => string,
): OutboundChoice[] | undefined {
  return buttons.buttons(cardButton, capabilities, CARD_BUTTONS.map((action) => ({ label: label(action), fields: { action, ticketId } })));
}

/** What staff decide about a binding request. */
export type RequestDecision = 'approve' | 'reject';

/** The request post's buttons, in the order shown. */
export const REQUEST_BUTTONS: readonly RequestDecision[] = ['approve', 'reject'];

/** A request button's field: the request's id. */
export interface RequestButtonFields {
  requestId: string;
}

function requestButton(prefix: string): ButtonKind<RequestButtonFields> {
  return {
    prefix,
    write: ({ requestId }) => [requestId],
    read: (parts) => (parts.length === 1 && parts[0] !== '' ? { requestId: parts[0]! } : null),
  };
}

/** One kind per decision: `i|ba|<request id>|<tag>` approves, `i|br|…` rejects. */
export const requestButtons: Readonly<Record<RequestDecision, ButtonKind<RequestButtonFields>>> = {
  approve: requestButton('i|ba'),
  reject: requestButton('i|br'),
};

/** The request post's choices on a channel, labelled by `label(decision)`; undefined where it shows no buttons. */
export function requestChoices(
  buttons: ButtonMaker,
  capabilities: ChannelCapabilities | undefined,
  requestId: string,
  label: (decision: RequestDecision) => string,
): OutboundChoice[] | undefined {
  const choices: OutboundChoice[] = [];
  for (const decision of REQUEST_BUTTONS) {
    const made = buttons.buttons(requestButtons[decision], capabilities, [{ label: label(decision), fields: { requestId } }]);
    if (!made) return undefined;
    choices.push(...made);
  }
  return choices;
}

/**
 * "已电话联系" beside each household in a roll-call list sent to a group head or an area steward:
 * pressing it records that the household was reached by phone (answer `reached`). It carries the
 * alert's number (shorter than its id, so the data fits the tightest channel's 64 bytes) and the household's
 * id; who may press it is the policy's to say, not the button's (a head forwarding the list gains
 * nothing), so it is tied to no account.
 */
import type { ButtonKind } from '../../../buttons/button-kind.js';

export interface ReachedFields {
  noticeNumber: string;
  householdId: string;
}

/** `nc|<notice number>|<household id>|<tag>`. */
export const reachedButton: ButtonKind<ReachedFields> = {
  prefix: 'nc',
  write: ({ noticeNumber, householdId }) => [noticeNumber, householdId],
  read: (parts) => (parts.length === 2 && parts[0] && parts[1] ? { noticeNumber: parts[0], householdId: parts[1] } : null),
};

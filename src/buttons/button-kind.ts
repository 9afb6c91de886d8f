/**
 * What one kind of button is: the prefix its data starts with and how its fields are written into
 * the data and read back. A kind is plain data, so whoever writes such buttons (a notice, the staff
 * inbox's card) and whoever handles their presses (the conversation, the inbox) can share it
 * without importing each other. The registry (`button-registry.ts`) signs, sizes and dispatches.
 *
 * @example
 * const commandButton: ButtonKind<{ account: string; command: string }> = {
 *   prefix: 'k',
 *   write: ({ account, command }) => [account, command],
 *   read: ([account, command, ...rest]) => (account && command && rest.length === 0 ? { account, command } : null),
 *   forAccount: (fields) => fields.account,
 * };
 */
import { createHash } from 'node:crypto';

export interface ButtonKind<Fields> {
  /**
   * The data's first field, or first fields joined by "|" (`i|ba`): names the kind. A press goes to
   * the kind with the longest prefix its data starts with.
   */
  readonly prefix: string;
  /** The fields after the prefix, as the data carries them (none may contain "|"). */
  write(fields: Fields): string[];
  /** The fields back from genuine data's parts after the prefix; null when they are not this kind's shape. */
  read(parts: readonly string[]): Fields | null;
  /**
   * For a button meant for one account only: the {@link accountMark} its fields carry. A press by
   * anyone else is refused before the kind's handler hears of it.
   */
  forAccount?(fields: Fields): string;
}

/** A short mark of a chat account, so a button bound to it fits the platform's data limit. */
export function accountMark(chatAccountId: string): string {
  return createHash('sha256').update(chatAccountId).digest().subarray(0, 6).toString('base64url');
}

/**
 * A button under a message sent outside a conversation turn (a notice), which does what typing a
 * command would: "评价" under a resolved ticket's rating question runs `/rate MQ-2026-00123`.
 * Such a notice is not a step of any flow, so its button cannot be a flow choice (those are bound
 * to the step the person is at); it is bound to the account it was sent to instead. The button
 * registry (`src/buttons/`) signs it and refuses it pressed by anyone else, altered or forged,
 * like any stale button; the conversation registers what a press does (the command, as if typed).
 */
import { accountMark, type ButtonKind } from '../buttons/button-kind.js';

/** A command button's fields: the mark of the account it was sent to, and the command. */
export interface CommandButtonFields {
  account: string;
  command: string;
}

/** `k|<account mark>|<command>|<tag>`. */
export const commandButton: ButtonKind<CommandButtonFields> = {
  prefix: 'k',
  write: ({ account, command }) => [account, command],
  read: (parts) => (parts.length === 2 ? { account: parts[0]!, command: parts[1]! } : null),
  forAccount: (fields) => fields.account,
};

/**
 * The fields of a button that runs `command` for `chatAccountId`. Commands are written in code
 * (`/rate MQ-2026-00123`): one that cannot ride a button is a bug, and making the button throws
 * rather than send the notice without it.
 */
export function commandButtonFields(chatAccountId: string, command: string): CommandButtonFields {
  return { account: accountMark(chatAccountId), command };
}

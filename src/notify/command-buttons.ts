/**
 * A button under a message sent outside a conversation turn (a notice), which does what typing a
 * command would: "评价" under a resolved ticket's rating question runs `/rate MQ-2026-00123`.
 * Such a notice is not a step of any flow, so its button cannot be a flow choice (those are bound
 * to the step the person is at); it is bound to the account it was sent to instead, and signed.
 * Pressed by anyone else, altered or forged, it is refused like any stale button.
 */
import { createHash } from 'node:crypto';
import type { ButtonSigner } from '../security/button-signing.js';

/** Button data kind marker: a command (flow choices use 'c', the staff inbox its own). */
const COMMAND_BUTTON = 'k';
/** Telegram's limit on callback data. */
const MAX_BUTTON_BYTES = 64;

function accountFingerprint(chatAccountId: string): string {
  return createHash('sha256').update(chatAccountId).digest().subarray(0, 6).toString('base64url');
}

/**
 * The data of a button that runs `command` for `chatAccountId`. Commands are written in code
 * (`/rate MQ-2026-00123`): one that cannot ride a button is a bug, so it throws rather than send
 * the notice without its button.
 */
export function commandButtonData(signer: ButtonSigner, chatAccountId: string, command: string): string {
  if (command.includes('|')) throw new Error('a command button\'s command may not contain "|"');
  const data = signer.sign([COMMAND_BUTTON, accountFingerprint(chatAccountId), command]);
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes > MAX_BUTTON_BYTES) throw new Error(`command button data of ${bytes} bytes exceeds ${MAX_BUTTON_BYTES}`);
  return data;
}

export type CommandButtonCheck =
  /** Not a command button at all (a flow choice, or something else): not this module's to judge. */
  | { kind: 'other' }
  | { kind: 'command'; command: string }
  | { kind: 'refused' };

/** Reads pressed button data: the command it runs for `chatAccountId`, or why not. */
export function readCommandButton(signer: ButtonSigner, data: string, chatAccountId: string): CommandButtonCheck {
  if (!data.startsWith(`${COMMAND_BUTTON}|`)) return { kind: 'other' };
  const fields = signer.verify(data);
  if (!fields || fields.length !== 3 || fields[0] !== COMMAND_BUTTON) return { kind: 'refused' };
  if (fields[1] !== accountFingerprint(chatAccountId)) return { kind: 'refused' };
  return { kind: 'command', command: fields[2]! };
}

/**
 * Shapes a message can have that start a flow on their own, with the whole message as the flow's
 * command argument (`command.alone` in a flow file): the office tells people to "send the code"
 * — just `85D6-5BDA` — so a message shaped like a code starts binding. Pure. Only messages that
 * cannot be ordinary words count: a code typed with its dash or space, or eight characters
 * from the codes' alphabet mixing letters and digits ("feedback" is a word, not a code).
 */
import { CODE_ALPHABET, CODE_LENGTH } from '../features/identity/invite-code-format.js';

const HALF = CODE_LENGTH / 2;
const CODE_CHAR = `[${CODE_ALPHABET}]`;
const SEPARATED = new RegExp(`^${CODE_CHAR}{${HALF}}[\\s\\-‐‑‒–—―_.·]+${CODE_CHAR}{${HALF}}$`);
const TOGETHER = new RegExp(`^${CODE_CHAR}{${CODE_LENGTH}}$`);

/** Does the message look like an invite code (any case, full-width folded)? */
export function looksLikeInviteCode(text: string): boolean {
  const typed = text.normalize('NFKC').trim().toUpperCase();
  if (SEPARATED.test(typed)) return true;
  return TOGETHER.test(typed) && /\d/.test(typed) && /[A-Z]/.test(typed);
}

/** The shapes a flow may name in `command.alone`. */
export const ARGUMENT_SHAPES = {
  invite_code: looksLikeInviteCode,
} as const satisfies Record<string, (text: string) => boolean>;

export type ArgumentShape = keyof typeof ARGUMENT_SHAPES;
export const ARGUMENT_SHAPE_NAMES = Object.keys(ARGUMENT_SHAPES) as ArgumentShape[];

/** `--days N`: how long a one-time binding code stays valid. */
import { DEFAULT_TTL_DAYS } from '../../features/identity/invite-codes.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';

/** The default validity of a binding code: seven days, as the identity feature has it. */
export const DEFAULT_INVITE_DAYS = DEFAULT_TTL_DAYS;
/** The longest validity createInviteCode accepts. */
export const MAX_INVITE_DAYS = 365;

/** The number of days, DEFAULT_INVITE_DAYS when not given; a usage error for anything but 1–365. */
export function parseDays(text: string | undefined): number {
  if (text === undefined) return DEFAULT_INVITE_DAYS;
  const days = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_INVITE_DAYS) {
    throw new CliError('cli.invite.bad_days', { value: text, max: MAX_INVITE_DAYS }, EXIT_USAGE);
  }
  return days;
}

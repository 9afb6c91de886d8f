/**
 * The staff chat's meeting commands, as typed: `/meeting <type> <YYYY-MM-DDTHH:mm> <title>`,
 * `/move_meeting <HY-number> <YYYY-MM-DDTHH:mm>` and `/cancel_meeting <HY-number> [reason]`.
 * Pure: reading the words only (times are checked by the caller, in the community's zone).
 */

export const MEETING_COMMANDS = ['meeting', 'move_meeting', 'cancel_meeting'] as const;
export type MeetingCommandName = (typeof MEETING_COMMANDS)[number];

export type MeetingCommand =
  | { ok: true; name: 'meeting'; type: string; when: string; title: string }
  | { ok: true; name: 'move_meeting'; number: string; when: string }
  | { ok: true; name: 'cancel_meeting'; number: string; reason: string }
  | { ok: false; name: MeetingCommandName };

const COMMAND = /^[/／]([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?=\s|$)([\s\S]*)$/;

/** The command at the start of a text, or null when it is none of these. */
export function parseMeetingCommand(text: string | undefined): MeetingCommand | null {
  const match = text ? COMMAND.exec(text.normalize('NFKC').trim()) : null;
  if (!match) return null;
  const name = match[1]!.toLowerCase() as MeetingCommandName;
  if (!(MEETING_COMMANDS as readonly string[]).includes(name)) return null;
  const words = match[2]!.trim().split(/\s+/).filter((word) => word !== '');
  if (name === 'meeting') {
    const [type, when, ...title] = words;
    return type && when && title.length > 0 ? { ok: true, name, type: type.toLowerCase(), when, title: title.join(' ') } : { ok: false, name };
  }
  if (name === 'move_meeting') {
    const [number, when, ...rest] = words;
    return number && when && rest.length === 0 ? { ok: true, name, number: number.toUpperCase(), when } : { ok: false, name };
  }
  const [number, ...reason] = words;
  return number ? { ok: true, name, number: number.toUpperCase(), reason: reason.join(' ') } : { ok: false, name };
}

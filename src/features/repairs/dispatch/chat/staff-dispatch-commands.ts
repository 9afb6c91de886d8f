/**
 * The staff chat's dispatch commands, as typed: `/reassign BX-2026-00042 [member]` (转单: to the
 * named member, or the next one), `/take_over BX-2026-00042 [member]` (held at once by the named
 * member, or by the staff member themselves), `/cancel_job BX-2026-00042` and
 * `/dispatch BX-2026-00042` (the job's dispatch history). Pure: reading the words only.
 */

export const DISPATCH_COMMANDS = ['reassign', 'take_over', 'cancel_job', 'dispatch'] as const;
export type DispatchCommandName = (typeof DISPATCH_COMMANDS)[number];

export type DispatchCommand =
  | { ok: true; name: DispatchCommandName; number: string; memberName: string }
  | { ok: false; name: DispatchCommandName; problem: 'no_number' };

const COMMAND = /^[/／]([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?=\s|$)([\s\S]*)$/;

/** The command at the start of a text, or null when it is none of these. */
export function parseDispatchCommand(text: string | undefined): DispatchCommand | null {
  const match = text ? COMMAND.exec(text.trim()) : null;
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  if (!(DISPATCH_COMMANDS as readonly string[]).includes(name)) return null;
  const [number = '', ...rest] = match[2]!.trim().split(/\s+/).filter((word) => word !== '');
  if (number === '') return { ok: false, name: name as DispatchCommandName, problem: 'no_number' };
  return { ok: true, name: name as DispatchCommandName, number, memberName: rest.join(' ') };
}

/**
 * The staff inbox's commands, as typed in the staff chat (both Telegram and WeChat):
 * `/claim 123`, `/assign 123 <name>`, `/note 123 <text>`, `/major 123`, `/resolve 123 <text>`,
 * `/reopen 123`, `/merge 123 456`, `/phone 123` (the reporter's full number, privately),
 * `/publish 123` (the resident's words into the open data feed),
 * `/approve 17 [<household code>]` and `/reject 17` (binding requests, by their own numbers),
 * `/resume_binding` (lifts a community-wide pause of binding after many wrong codes),
 * `/setup_staff_chat`, `/bind_group <purpose> [target]` (binds a group chat to a purpose),
 * and `/help` (in the staff chat only: a resident's `/help` elsewhere belongs to the flows).
 * Pure: reading the words only.
 *
 * Where the ticket is already known from where the command was written (a forum topic, a reply to
 * a ticket's card or message), the number may be left out: `/claim`, `/resolve 已修好`,
 * `/merge 456`. There, a bare number at the start of a text is text ("/note 3 号楼也漏"); only a
 * `#123` or a full number names a ticket.
 */
import { parseTicketNumber, type ParsedTicketNumber, type TicketNumberContext } from '../features/tickets/rules/ticket-number.js';
import { isChatPurpose, type ChatPurpose } from './bound-chats.js';

/** The ticket actions staff take on a card. */
export const STAFF_ACTIONS = ['claim', 'assign', 'note', 'major', 'resolve', 'reopen', 'merge'] as const;
export type StaffActionName = (typeof STAFF_ACTIONS)[number];

/** Commands about binding requests. */
export const REQUEST_COMMANDS = ['approve', 'reject'] as const;
export type RequestCommandName = (typeof REQUEST_COMMANDS)[number];

/** Every command the inbox answers. */
export type StaffCommandName = StaffActionName | RequestCommandName | 'resume_binding' | 'phone' | 'publish' | 'setup_staff_chat' | 'bind_group' | 'help';

const OTHER_COMMANDS: readonly string[] = [...STAFF_ACTIONS, ...REQUEST_COMMANDS, 'resume_binding', 'phone', 'publish', 'setup_staff_chat', 'bind_group', 'help'];

/** A command as typed: its name and everything after it. */
export interface StaffCommand {
  name: StaffCommandName;
  args: string;
}

/** Actions that need words after the ticket (a name, a text, the other ticket). */
const NEEDS_TEXT: readonly StaffActionName[] = ['assign', 'note', 'resolve'];

const COMMAND = /^[/／]([A-Za-z_]+)(?:@[A-Za-z0-9_]+)?(?=\s|$)([\s\S]*)$/;

/** The command at the start of a text, or null when the text is not one of the inbox's commands. */
export function parseStaffCommand(text: string | undefined): StaffCommand | null {
  if (!text) return null;
  const match = COMMAND.exec(text.trim());
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  if (!OTHER_COMMANDS.includes(name)) return null;
  return { name: name as StaffCommandName, args: match[2]!.trim() };
}

/** What a staff action command asks for, once its words are read. */
export type ActionRequest =
  | { ok: true; action: StaffActionName; ticket: ParsedTicketNumber | null; text: string; into: ParsedTicketNumber | null }
  | { ok: false; problem: 'no_ticket' | 'bad_number' | 'text_missing' | 'merge_target_missing' };

/**
 * Reads an action's arguments. `implied`: the ticket is known from where the command was written.
 * A request with `ticket: null` is for the implied ticket.
 */
export function readActionRequest(
  action: StaffActionName,
  args: string,
  implied: boolean,
  context: TicketNumberContext,
): ActionRequest {
  const [first = '', ...others] = args.split(/\s+/).filter((word) => word !== '');
  const restAfterFirst = args.slice(args.indexOf(first) + first.length).trim();
  const named = first === '' ? null : readTicketWord(first, implied, context);

  if (action === 'merge') {
    // `/merge 123 456` (123 into 456) anywhere, or in a ticket's place `/merge 456`.
    if (others.length > 0) {
      const from = readTicketWord(first, false, context);
      const into = readTicketWord(others[0]!, false, context);
      return from && into ? request(action, from, '', into) : { ok: false, problem: 'bad_number' };
    }
    if (implied && first !== '') {
      const into = readTicketWord(first, false, context);
      return into ? request(action, null, '', into) : { ok: false, problem: 'bad_number' };
    }
    if (!implied && first === '') return { ok: false, problem: 'no_ticket' };
    return { ok: false, problem: first === '' || readTicketWord(first, false, context) ? 'merge_target_missing' : 'bad_number' };
  }

  if (NEEDS_TEXT.includes(action)) {
    const ticket = named;
    const text = ticket ? restAfterFirst : args;
    if (!ticket && !implied) return { ok: false, problem: first === '' ? 'no_ticket' : 'bad_number' };
    if (text === '') return { ok: false, problem: 'text_missing' };
    return request(action, ticket, text, null);
  }

  // claim, major, reopen: at most a ticket.
  if (first === '') return implied ? request(action, null, '', null) : { ok: false, problem: 'no_ticket' };
  const ticket = readTicketWord(first, false, context);
  return ticket ? request(action, ticket, '', null) : { ok: false, problem: 'bad_number' };
}

/**
 * One word as a ticket number. Where a ticket is implied, a bare number is not taken as one
 * (it is the start of a text); `#123` and full numbers always are.
 */
function readTicketWord(word: string, implied: boolean, context: TicketNumberContext): ParsedTicketNumber | null {
  const trimmed = word.trim();
  if (implied && /^\d+$/.test(trimmed)) return null;
  return parseTicketNumber(trimmed, context);
}

function request(action: StaffActionName, ticket: ParsedTicketNumber | null, text: string, into: ParsedTicketNumber | null): ActionRequest {
  return { ok: true, action, ticket, text, into };
}

/** What `/approve` or `/reject` asks for: a request (null: the one replied to) and, to approve, perhaps a household. */
export type RequestCommand =
  | { ok: true; number: number | null; householdCode: string | null }
  | { ok: false; problem: 'no_request' | 'bad_request_number' };

/**
 * Reads `/approve 17`, `/approve #17 H0001`, `/reject 17`. `implied`: written in reply to the
 * request's post, so the number may be left out (`/approve`, `/approve H0001`).
 */
export function readRequestCommand(name: RequestCommandName, args: string, implied: boolean): RequestCommand {
  const words = args.split(/\s+/).filter((word) => word !== '');
  const number = words[0] === undefined ? null : requestNumber(words[0]);
  if (number === null && !implied) return { ok: false, problem: words.length === 0 ? 'no_request' : 'bad_request_number' };
  const rest = number === null ? words : words.slice(1);
  if (name === 'reject') return rest.length === 0 ? { ok: true, number, householdCode: null } : { ok: false, problem: 'bad_request_number' };
  if (rest.length > 1) return { ok: false, problem: 'bad_request_number' };
  return { ok: true, number, householdCode: rest[0] ?? null };
}

/** "17" or "#17" (full-width too) → 17; anything else null. */
function requestNumber(word: string): number | null {
  const match = /^#?(\d{1,9})$/.exec(word.normalize('NFKC'));
  const number = match ? Number(match[1]) : Number.NaN;
  return Number.isInteger(number) && number >= 1 ? number : null;
}

/** What `/bind_group` asks for: a purpose and perhaps what the chat serves. */
export type BindGroupCommand =
  | { ok: true; purpose: ChatPurpose; target: string | undefined }
  | { ok: false; problem: 'purpose_missing' | 'bad_purpose'; word?: string };

/**
 * Reads `/bind_group area 3号楼`, `/bind_group household_group G01`, `/bind_group staff`: the
 * purpose (its code, any case), then everything after it as the target.
 */
export function readBindGroup(args: string): BindGroupCommand {
  const [first, ...rest] = args.split(/\s+/).filter((word) => word !== '');
  if (first === undefined) return { ok: false, problem: 'purpose_missing' };
  const purpose = first.toLowerCase();
  if (!isChatPurpose(purpose)) return { ok: false, problem: 'bad_purpose', word: first };
  const target = rest.join(' ');
  return { ok: true, purpose, target: target === '' ? undefined : target };
}

/**
 * One short line in a ticket's staff thread per change: who claimed it, an internal note, the
 * resolution, a resident's follow-up… A staff reply gets a line only in the staff chats it was not
 * written in (written on the web console, or in the other channel's staff chat): where it was
 * written, the staff member's own message is right there.
 */
import type { Tx } from '../db/prisma-types.js';
import type { Translator } from '../i18n/translator.js';
import { wordsFor, type InboxCommunity } from './ticket-context.js';

/** An event as a line needs it. */
export interface LineEvent {
  kind: string;
  actorId: string | null;
  text: string | null;
  /** Photos of a reply (stored references): only counted. */
  photos?: readonly string[];
  details: unknown;
}

/**
 * The line for an event in `locale`, for a staff chat on `channel`; null for events shown otherwise
 * (the card, a staff reply written in this chat or from before replies said where they were written).
 */
export async function renderLine(
  tx: Tx,
  translator: Translator,
  community: InboxCommunity,
  ticket: { id: string; number: string; kind: string; category: string; status: string; reporterId: string | null; assigneeId: string | null },
  event: LineEvent,
  locale: string,
  channel?: string,
): Promise<string | null> {
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const number = ticket.number;
  const staff = async () => (event.actorId ? ((await nameOf(tx, event.actorId)) ?? t('inbox.line.someone')) : t('inbox.line.someone'));
  const text = event.text ?? '';
  const details = typeof event.details === 'object' && event.details !== null ? (event.details as Record<string, unknown>) : {};
  switch (event.kind) {
    case 'filed':
      return null;
    case 'staff_reply': {
      const actedIn = details['actedIn'];
      if (typeof actedIn !== 'string' || actedIn === channel) return null;
      const count = event.photos?.length ?? 0;
      if (count === 0) return t('inbox.line.staff_reply', { number, staff: await staff(), text });
      if (text === '') return t('inbox.line.staff_reply_photos', { number, staff: await staff(), count });
      return t('inbox.line.staff_reply_with_photos', { number, staff: await staff(), count, text });
    }
    case 'claimed':
      return t('inbox.line.claimed', { number, staff: await staff() });
    case 'assigned': {
      const assigneeId = typeof details['assigneeId'] === 'string' ? details['assigneeId'] : ticket.assigneeId;
      const assignee = (assigneeId ? await nameOf(tx, assigneeId) : null) ?? t('inbox.line.someone');
      return t('inbox.line.assigned', { number, staff: await staff(), assignee });
    }
    case 'internal_note':
      return t('inbox.line.internal_note', { number, staff: await staff(), text });
    case 'marked_major':
      return t('inbox.line.marked_major', { number, staff: await staff() });
    case 'resolved':
      return t('inbox.line.resolved', { number, staff: await staff(), text });
    case 'reopened': {
      const byResident = event.actorId !== null && event.actorId === ticket.reporterId;
      return t('inbox.line.reopened', { number, who: byResident || event.actorId === null ? t('inbox.line.resident') : await staff() });
    }
    case 'merged': {
      const intoId = typeof details['mergedIntoId'] === 'string' ? details['mergedIntoId'] : null;
      const into = intoId ? await tx.ticket.findUnique({ where: { id: intoId }, select: { number: true } }) : null;
      return t('inbox.line.merged', { number, into: into?.number ?? '?', staff: await staff() });
    }
    case 'resident_message':
      // A message within the reopening window reopens a resolved ticket: say so, with the words.
      return t(details['reopened'] === true ? 'inbox.line.reopened_by_message' : 'inbox.line.resident_message', { number, text });
    case 'withdrawn':
      return t('inbox.line.withdrawn', { number });
    case 'rated':
      return t('inbox.line.rated', { number, stars: typeof details['stars'] === 'number' ? details['stars'] : '?' });
    case 'escalated':
      return t('inbox.line.escalated', { number });
    default:
      return t('inbox.line.updated', { number, status: wordsFor(translator, community, locale).status(ticket.status) });
  }
}

/** The line in the target's thread when another ticket is merged into it. */
export function mergedInLine(translator: Translator, locale: string, from: string, into: string): string {
  return translator.t(locale, 'inbox.line.merged_in', { from, number: into });
}

async function nameOf(tx: Tx, residentId: string): Promise<string | null> {
  const person = await tx.resident.findUnique({ where: { id: residentId }, select: { name: true } });
  return person?.name ?? null;
}

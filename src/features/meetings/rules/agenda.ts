/**
 * A meeting's agenda as stored (Meeting.agenda): items in order, each its text, and the ticket or
 * motion it is about. A forum's agenda takes the tickets escalated to that sitting (AgendaItem,
 * docs/domain.md rule 1); the half-yearly assembly's always has the committee's report (rule 4). Pure.
 */

export interface AgendaEntry {
  text: string;
  ticketId?: string;
  motionId?: string;
  /** A standing item named by a locale key instead of words (the committee's report). */
  key?: string;
}

/** The standing item of every regular assembly: the committee's twice-yearly report. */
export const COMMITTEE_REPORT_KEY = 'meetings.core.agenda.committee_report';

export function readAgenda(json: unknown): AgendaEntry[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item): AgendaEntry[] => {
    if (typeof item !== 'object' || item === null) return [];
    const record = item as Record<string, unknown>;
    const entry: AgendaEntry = { text: typeof record.text === 'string' ? record.text : '' };
    if (typeof record.ticketId === 'string') entry.ticketId = record.ticketId;
    if (typeof record.motionId === 'string') entry.motionId = record.motionId;
    if (typeof record.key === 'string') entry.key = record.key;
    return entry.text || entry.key || entry.ticketId ? [entry] : [];
  });
}

/** The agenda of a new sitting: the standing items of its type first, then staff's, then escalated tickets not yet on it. */
export function composeAgenda(type: string, typed: readonly string[], escalated: readonly { ticketId: string; text: string }[]): AgendaEntry[] {
  const agenda: AgendaEntry[] = [];
  if (type === 'assembly') agenda.push({ text: '', key: COMMITTEE_REPORT_KEY });
  for (const text of typed) if (text.trim()) agenda.push({ text: text.trim() });
  const seen = new Set<string>();
  for (const { ticketId, text } of escalated) {
    if (seen.has(ticketId)) continue;
    seen.add(ticketId);
    agenda.push({ text, ticketId });
  }
  return agenda;
}

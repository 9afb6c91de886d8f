/**
 * The community's meeting ladder: each type with its default audience and, for the regular ones,
 * its rhythm as an RFC 5545 rule (docs/domain.md rules 1 and 4). Pure data.
 */
import type { MeetingAudience } from './audience.js';

export const MEETING_TYPES = ['forum', 'assembly', 'residents', 'hearing', 'coordination', 'evaluation', 'heads', 'training', 'other'] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

export function isMeetingType(text: string): text is MeetingType {
  return (MEETING_TYPES as readonly string[]).includes(text);
}

/** Who is invited when staff do not say otherwise. */
export const DEFAULT_AUDIENCE: Record<MeetingType, MeetingAudience> = {
  forum: { roles: ['committee', 'steward', 'council', 'representative'] },
  // 居民代表大会: the representatives (the committee reports to them; a member who is one is invited as one).
  assembly: { roles: ['representative'] },
  residents: { everyone: true },
  hearing: { roles: ['committee', 'representative'] },
  coordination: { roles: ['committee', 'steward'] },
  evaluation: { roles: ['representative', 'committee'] },
  heads: { roles: ['group_head', 'committee'] },
  training: { roles: ['committee', 'steward', 'council'] },
  other: { roles: ['committee'] },
};

/** The regular rhythms (one-off types have none). */
export const DEFAULT_RHYTHM: Partial<Record<MeetingType, string>> = {
  /** 半月谈: every second Wednesday. */
  forum: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE',
  /** 居民代表大会: at least every six months (rule 4). */
  assembly: 'FREQ=MONTHLY;INTERVAL=6',
  /** The ten-household heads' meeting, monthly on the first Monday. */
  heads: 'FREQ=MONTHLY;BYDAY=1MO',
};

/** The locale key naming a type. */
export const TYPE_LABELS: Record<MeetingType, string> = {
  forum: 'meetings.core.type.forum',
  assembly: 'meetings.core.type.assembly',
  residents: 'meetings.core.type.residents',
  hearing: 'meetings.core.type.hearing',
  coordination: 'meetings.core.type.coordination',
  evaluation: 'meetings.core.type.evaluation',
  heads: 'meetings.core.type.heads',
  training: 'meetings.core.type.training',
  other: 'meetings.core.type.other',
};

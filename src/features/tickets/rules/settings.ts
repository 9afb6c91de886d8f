/**
 * A community's ticket settings in one schema: time zone, ticket-number prefix, business hours,
 * categories, the biweekly forum's rhythm and the satisfaction alert. Every field has a default,
 * so `ticketSettingsSchema.parse({})` is a working community.
 */
import { z } from 'zod';
import { businessHoursSchema, openMinutesPerDay } from './business-hours.js';
import { categoryListSchema, DEFAULT_CATEGORIES } from './categories.js';
import type { Duration } from './duration.js';
import { DEFAULT_TIMEZONE, isValidTimeZone } from './local-time.js';
import { DEFAULT_SATISFACTION_POLICY } from './satisfaction.js';
import { TICKET_KINDS, type TicketKind } from './kinds.js';
import { TICKET_PREFIX_PATTERN } from './ticket-number.js';

/** Repairs and housekeeping have numbers of their own, so a resident and the team tell them apart at a glance. */
export const DEFAULT_KIND_PREFIXES: Readonly<Partial<Record<TicketKind, string>>> = { repair: 'BX', housekeeping: 'JZ' };

export const ticketSettingsSchema = z
  .object({
    timezone: z.string().refine(isValidTimeZone, 'an IANA time zone, e.g. Asia/Shanghai').default(DEFAULT_TIMEZONE),
    /** Ticket numbers read `<prefix>-<year>-<seq>`; 民情 → MQ. */
    numberPrefix: z.string().regex(TICKET_PREFIX_PATTERN, '2–4 capital letters').default('MQ'),
    /** Kinds numbered apart from the mailbox: repairs read BX-2026-00042 (报修), housekeeping JZ (家政). */
    kindPrefixes: z
      .partialRecord(z.enum(TICKET_KINDS), z.string().regex(TICKET_PREFIX_PATTERN, '2–4 capital letters'))
      .default(() => ({ ...DEFAULT_KIND_PREFIXES })),
    /** null: every clock runs day and night. */
    businessHours: businessHoursSchema.nullable().default(null),
    categories: categoryListSchema.default(() => DEFAULT_CATEGORIES.map((c) => ({ ...c }))),
    /** Any one sitting of the biweekly forum (半月谈), ISO 8601 with offset; the others are 14 days apart. */
    forumAnchor: z.iso.datetime({ offset: true }).nullable().default(null),
    satisfaction: z
      .object({
        windowDays: z.number().int().min(1).max(3660).default(DEFAULT_SATISFACTION_POLICY.windowDays),
        minimumSample: z.number().int().min(1).default(DEFAULT_SATISFACTION_POLICY.minimumSample),
      })
      .default(DEFAULT_SATISFACTION_POLICY),
  })
  .superRefine((settings, ctx) => {
    // The category schema compares days with hours as 24 h; on a business-hours clock a day is
    // only the open time, so check again with the real length.
    if (!settings.businessHours) return;
    const day = openMinutesPerDay(settings.businessHours);
    const minutes = (d: Duration) => d.amount * (d.unit === 'd' ? day : d.unit === 'h' ? 60 : 1);
    for (const [i, c] of settings.categories.entries()) {
      if (!c.businessHours) continue;
      const pairs: Array<[Duration, Duration, string]> = [
        [c.firstResponse, c.resolution, 'firstResponse'],
        [c.priority.firstResponse, c.priority.resolution, 'priority.firstResponse'],
        [c.priority.firstResponse, c.firstResponse, 'priority.firstResponse'],
        [c.priority.resolution, c.resolution, 'priority.resolution'],
      ];
      for (const [shorter, longer, field] of pairs) {
        if (minutes(shorter) > minutes(longer)) {
          const message = `${c.code}.${field} is longer than it may be on business hours (a day is ${day} open minutes)`;
          ctx.addIssue({ code: 'custom', message, path: ['categories', i] });
        }
      }
    }
  });

export type TicketSettings = z.output<typeof ticketSettingsSchema>;

/** The prefix of a new ticket of this kind: its own when the community gives it one, else the mailbox's. */
export function numberPrefixFor(settings: Pick<TicketSettings, 'numberPrefix' | 'kindPrefixes'>, kind: TicketKind): string {
  return settings.kindPrefixes[kind] ?? settings.numberPrefix;
}

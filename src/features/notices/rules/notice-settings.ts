/**
 * A community's notice settings in one schema (Community.noticeSettings, `{}` = the defaults):
 * quiet hours (no notice goes out between `quietHours.from` and `quietHours.to` in the community's
 * time zone; one confirmed then waits for the end; alerts are exempt), the roll-call's escalation
 * times (after T1 each group head gets their households that have not answered, after T2 the area
 * steward gets the area's), and how long a plain notice stays in the residents' archive
 * (disclosures and alerts never leave it).
 */
import { z } from 'zod';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const noticeSettingsSchema = z.object({
  /** `from` later than `to` spans midnight (the default, 22:00–07:00); equal: no quiet hours. */
  quietHours: z
    .object({ from: z.string().regex(CLOCK_TIME, 'HH:mm').default('22:00'), to: z.string().regex(CLOCK_TIME, 'HH:mm').default('07:00') })
    .prefault({}),
  rollCall: z
    .object({
      /** Minutes after an alert is sent when each group head is given their unanswered households. */
      headsAfterMinutes: z.number().int().min(1).max(24 * 60).default(10),
      /** Minutes after an alert is sent when each area steward is given the area's. */
      stewardsAfterMinutes: z.number().int().min(1).max(24 * 60).default(30),
    })
    .refine((r) => r.headsAfterMinutes < r.stewardsAfterMinutes, 'the heads are asked before the stewards')
    .prefault({}),
  /** Days a plain notice stays in the archive residents read; null: forever. */
  archiveDays: z.number().int().min(1).max(3650).nullable().default(365),
});

export type NoticeSettings = z.infer<typeof noticeSettingsSchema>;

/** The settings a community stored (`{}` or null: the defaults); throws on a stored value that is not valid. */
export function parseNoticeSettings(stored: unknown): NoticeSettings {
  return noticeSettingsSchema.parse(stored ?? {});
}

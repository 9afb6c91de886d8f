/**
 * A community's repair settings in one schema (Community.repairSettings, `{}` = the defaults):
 * the emergency numbers a resident is told at once when there is danger, how soon someone is
 * expected (emergency, priority household, ordinary), the home-time slots offered, which household
 * flags make a repair a priority one and what such a household pays, how many days the resident
 * has to answer once the work is done, and the category the repair tickets are filed under.
 */
import { z } from 'zod';
import { HOUSEHOLD_FLAGS } from '../../community/vocabulary.js';
import { durationSchema } from '../../tickets/rules/duration.js';

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const PHONE = /^[0-9][0-9-]{1,19}$/;

/**
 * The numbers that answer danger, by what they are for (names from locales,
 * `repairs.emergency.line.*`). Fire, ambulance and police are national; the power company's
 * 95598 is national too; the gas company's line is local, so a community sets its own.
 */
export const EMERGENCY_LINES = ['fire', 'medical', 'police', 'gas', 'power'] as const;
export type EmergencyLine = (typeof EMERGENCY_LINES)[number];

/** What a priority household pays for a repair: nothing, the materials only, or half. */
export const PRIORITY_FEE_RULES = ['free', 'materials_only', 'half'] as const;
export type PriorityFeeRule = (typeof PRIORITY_FEE_RULES)[number];

const slotSchema = z
  .object({ from: z.string().regex(CLOCK_TIME, 'HH:mm'), to: z.string().regex(CLOCK_TIME, 'HH:mm') })
  .refine((slot) => slot.from < slot.to, 'a slot must start before it ends, within one day');

export const repairSettingsSchema = z.object({
  /** A line left null is not mentioned. */
  emergencyNumbers: z
    .object({
      fire: z.string().regex(PHONE).nullable().default('119'),
      medical: z.string().regex(PHONE).nullable().default('120'),
      police: z.string().regex(PHONE).nullable().default('110'),
      gas: z.string().regex(PHONE).nullable().default(null),
      power: z.string().regex(PHONE).nullable().default('95598'),
    })
    .prefault({}),
  /** By when someone is expected, from filing (continuous clock: danger does not wait for office hours). */
  expectedWithin: z
    .object({ emergency: durationSchema.prefault('2h'), priority: durationSchema.prefault('4h'), ordinary: durationSchema.prefault('1d') })
    .prefault({}),
  /** Times of day a resident may say someone is home, offered for today and the next days. */
  homeSlots: z
    .array(slotSchema)
    .min(1)
    .max(4)
    .default(() => [
      { from: '08:00', to: '12:00' },
      { from: '12:00', to: '18:00' },
      { from: '18:00', to: '21:00' },
    ]),
  /** How many days, today included, slots are offered for. */
  homeDays: z.number().int().min(1).max(3).default(2),
  /** Household flags that make a repair a priority one (dispatched first, the fee rule below). */
  priorityFlags: z.array(z.enum(HOUSEHOLD_FLAGS)).default(['elderly', 'disabled', 'ill', 'low_income']),
  priorityFee: z.enum(PRIORITY_FEE_RULES).default('free'),
  /**
   * Days the resident has to say "fixed" or "not fixed" once the work is done; then the clock
   * confirms it (the ticket is resolved and its rating asked, as for any ticket).
   */
  confirmWithinDays: z.number().int().min(1).max(14).default(3),
  /** The ticket category repairs are listed under (falls back to `other` when the list has no such code). */
  ticketCategory: z.string().default('utilities_roads'),
});

export type RepairSettings = z.output<typeof repairSettingsSchema>;

/** Parses stored settings (`{}` or anything not an object = the defaults). */
export function parseRepairSettings(stored: unknown): RepairSettings {
  const object = stored !== null && typeof stored === 'object' && !Array.isArray(stored) ? stored : {};
  return repairSettingsSchema.parse(object);
}

/**
 * Complaint categories: the community's own, configurable list, with defaults from the issue and
 * deadlines from Beijing 12345's feedback tiers (docs/domain.md rule 10).
 *
 * 12345 feedback (= our resolution) deadlines: emergencies 2 h, water / power / gas / heating
 * 24 h, ordinary cases 7 days, complex cases 15 days. 12345 leaves the first contact to the unit;
 * we choose it so there is still time to act before the resolution deadline:
 * - 2 h where waiting is a safety matter (public security),
 * - 4 h where a home is without water or power or a frail resident needs help (a quarter of the
 *   24 h tier, the same working half-day),
 * - 1 day for everything else: a next-day answer is what a mailbox promises.
 * Priority households (docs/domain.md rule 7: elderly, disabled, ill) get shorter deadlines: a first
 * response within 4 h where others wait a day (half of that elsewhere), and about half the
 * resolution time (7d → 3d, 15d → 7d, 24h → 12h, 3d → 1d). Hours are not mixed with days below
 * a day on purpose: on a business-hours clock `12h` is more than `1d` (nine open hours).
 * No default category is an emergency: real emergencies belong to 110 / 119 / 120 and the flow
 * says so. A community that wants an emergency category adds one (e.g. 30m / 2h).
 */
import { z } from 'zod';
import type { Role } from '../../community/vocabulary.js';
import { durationSchema, nominalMinutes } from './duration.js';

/** The default categories' codes, in the order the resident is offered them. */
export const DEFAULT_CATEGORY_CODES = [
  'environment_sanitation',
  'utilities_roads',
  'public_security',
  'neighbour_dispute',
  'property_fees',
  'elderly_disability_help',
  'other',
] as const;
export type DefaultCategoryCode = (typeof DEFAULT_CATEGORY_CODES)[number];

/** The category every list must have: "none of these fits" needs somewhere to go. */
export const FALLBACK_CATEGORY_CODE = 'other';

/** Roles a category may send its tickets to first instead of the area's steward. */
export const ROUTABLE_ROLES = ['steward', 'council', 'patrol', 'committee', 'service_team'] as const satisfies readonly Role[];
export type RoutableRole = (typeof ROUTABLE_ROLES)[number];

/** Category codes become locale keys and Open311 `service_code`s: lower-case ASCII. */
const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,39}$/;

const deadlinePairSchema = z.object({ firstResponse: durationSchema, resolution: durationSchema });

/** One category in a community's settings. */
export const categorySchema = z
  .object({
    code: z.string().regex(CATEGORY_CODE, 'lower-case letters, digits and _'),
    /** Ordinary households: first response and resolution. */
    firstResponse: durationSchema,
    resolution: durationSchema,
    /** Households with a prompt-service flag (elderly, disabled, ill). */
    priority: deadlinePairSchema,
    /** Send to a holder of this role first (public security → patrol); null = the area's steward. */
    routeToRole: z.enum(ROUTABLE_ROLES).nullable().default(null),
    /** The clock pauses outside business hours (when the community has them). */
    businessHours: z.boolean().default(true),
    /** Listed in the public Open311 output at all. */
    publicListing: z.boolean().default(false),
    /** Names of a community's own category per locale; default categories use `tickets.category.<code>`. */
    label: z.record(z.string(), z.string().trim().min(1)).optional(),
  })
  .superRefine((c, ctx) => {
    const ordinary = { firstResponse: c.firstResponse, resolution: c.resolution };
    for (const tier of [ordinary, c.priority]) {
      if (nominalMinutes(tier.firstResponse) > nominalMinutes(tier.resolution)) {
        const path = tier === ordinary ? ['firstResponse'] : ['priority', 'firstResponse'];
        ctx.addIssue({ code: 'custom', message: 'the first response cannot be due after the resolution', path });
      }
    }
    if (nominalMinutes(c.priority.firstResponse) > nominalMinutes(c.firstResponse)) {
      ctx.addIssue({ code: 'custom', message: 'a priority deadline cannot be longer than the ordinary one', path: ['priority', 'firstResponse'] });
    }
    if (nominalMinutes(c.priority.resolution) > nominalMinutes(c.resolution)) {
      ctx.addIssue({ code: 'custom', message: 'a priority deadline cannot be longer than the ordinary one', path: ['priority', 'resolution'] });
    }
  });

export type TicketCategory = z.output<typeof categorySchema>;
export type TicketCategoryInput = z.input<typeof categorySchema>;

/** A community's list: unique codes, and `other` among them. */
export const categoryListSchema = z
  .array(categorySchema)
  .min(1)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of list.entries()) {
      if (seen.has(c.code)) ctx.addIssue({ code: 'custom', message: `category ${c.code} is listed twice`, path: [i, 'code'] });
      seen.add(c.code);
    }
    if (!seen.has(FALLBACK_CATEGORY_CODE)) ctx.addIssue({ code: 'custom', message: `the list needs the "${FALLBACK_CATEGORY_CODE}" category` });
  });

const DEFAULT_CATEGORY_INPUT: TicketCategoryInput[] = [
  { code: 'environment_sanitation', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' }, publicListing: true },
  // 12345's 24 h tier; the clock never pauses: a flat without water at night cannot wait for Monday.
  {
    code: 'utilities_roads',
    firstResponse: '4h',
    resolution: '24h',
    priority: { firstResponse: '2h', resolution: '12h' },
    businessHours: false,
    publicListing: true,
  },
  {
    code: 'public_security',
    firstResponse: '2h',
    resolution: '7d',
    priority: { firstResponse: '1h', resolution: '3d' },
    routeToRole: 'patrol',
    businessHours: false,
    publicListing: true,
  },
  // 12345's complex tier: mediation takes meetings.
  { code: 'neighbour_dispute', firstResponse: '1d', resolution: '15d', priority: { firstResponse: '4h', resolution: '7d' } },
  { code: 'property_fees', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } },
  { code: 'elderly_disability_help', firstResponse: '4h', resolution: '3d', priority: { firstResponse: '2h', resolution: '1d' }, businessHours: false },
  { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } },
];

/**
 * The defaults. Not public in Open311: neighbour disputes, fees, help for frail residents and
 * "other" say something about a household even without a name (a dispute in a courtyard of ten
 * homes); a community can list them if it decides otherwise.
 */
export const DEFAULT_CATEGORIES: readonly TicketCategory[] = categoryListSchema.parse(DEFAULT_CATEGORY_INPUT);

/** The category with `code`, or the fallback (a category deleted from the settings after filing). */
export function findCategory(categories: readonly TicketCategory[], code: string): TicketCategory {
  const found = categories.find((c) => c.code === code) ?? categories.find((c) => c.code === FALLBACK_CATEGORY_CODE);
  if (!found) throw new Error(`category list without "${FALLBACK_CATEGORY_CODE}"`);
  return found;
}

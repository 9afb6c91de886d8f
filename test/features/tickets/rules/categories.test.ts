import { describe, expect, it } from 'vitest';
import {
  categoryListSchema,
  categorySchema,
  DEFAULT_CATEGORIES,
  DEFAULT_CATEGORY_CODES,
  findCategory,
} from '../../../../src/features/tickets/rules/categories.js';
import { formatDuration } from '../../../../src/features/tickets/rules/duration.js';
import { categoryName } from '../../../../src/features/tickets/rules/labels.js';
import { numberPrefixFor, ticketSettingsSchema } from '../../../../src/features/tickets/rules/settings.js';

const byCode = (code: string) => DEFAULT_CATEGORIES.find((c) => c.code === code)!;
const text = (code: string) => {
  const c = byCode(code);
  return [formatDuration(c.firstResponse), formatDuration(c.resolution), formatDuration(c.priority.firstResponse), formatDuration(c.priority.resolution)];
};

describe('default categories', () => {
  it('are the issue’s seven, in order', () => {
    expect(DEFAULT_CATEGORIES.map((c) => c.code)).toEqual([...DEFAULT_CATEGORY_CODES]);
  });

  it('follow 12345’s tiers: water and power 24 h, ordinary 7 days, disputes 15 days', () => {
    expect(text('utilities_roads')).toEqual(['4h', '24h', '2h', '12h']);
    expect(text('environment_sanitation')).toEqual(['1d', '7d', '4h', '3d']);
    expect(text('neighbour_dispute')).toEqual(['1d', '15d', '4h', '7d']);
    expect(text('public_security')).toEqual(['2h', '7d', '1h', '3d']);
    expect(text('elderly_disability_help')).toEqual(['4h', '3d', '2h', '1d']);
    expect(text('property_fees')).toEqual(['1d', '7d', '4h', '3d']);
    expect(text('other')).toEqual(['1d', '7d', '4h', '3d']);
  });

  it('send public security to the patrol first and keep its clock running at night', () => {
    expect(byCode('public_security')).toMatchObject({ routeToRole: 'patrol', businessHours: false });
    expect(DEFAULT_CATEGORIES.filter((c) => c.routeToRole !== null).map((c) => c.code)).toEqual(['public_security']);
  });

  it('list only impersonal categories publicly', () => {
    expect(DEFAULT_CATEGORIES.filter((c) => c.publicListing).map((c) => c.code)).toEqual(['environment_sanitation', 'utilities_roads', 'public_security']);
  });

  it('pass the settings schema with business hours (no priority deadline longer than the ordinary one)', () => {
    const settings = ticketSettingsSchema.parse({ businessHours: { weekdays: [1, 2, 3, 4, 5], windows: [{ opens: '08:30', closes: '17:30' }] } });
    expect(settings.categories.map((c) => c.code)).toEqual([...DEFAULT_CATEGORY_CODES]);
  });
});

describe('categorySchema', () => {
  const valid = { code: 'noise', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } };

  it('fills defaults: steward routing, business hours on, not public', () => {
    expect(categorySchema.parse(valid)).toMatchObject({ routeToRole: null, businessHours: true, publicListing: false });
  });

  it('accepts a community’s own category with its own names and an emergency tier', () => {
    const emergency = categorySchema.parse({ ...valid, code: 'gas_leak', firstResponse: '30m', resolution: '2h', priority: { firstResponse: '30m', resolution: '2h' }, label: { 'zh-CN': '燃气泄漏' } });
    expect(categoryName(emergency, 'zh-CN')).toEqual({ text: '燃气泄漏' });
    expect(categoryName(emergency, 'en')).toEqual({ text: '燃气泄漏' });
  });

  it.each([
    ['an upper-case code', { ...valid, code: 'Noise' }],
    ['a one-letter code', { ...valid, code: 'n' }],
    ['a code with a dash', { ...valid, code: 'noise-night' }],
    ['first response after resolution', { ...valid, firstResponse: '8d' }],
    ['priority first response longer than ordinary', { ...valid, priority: { firstResponse: '2d', resolution: '3d' } }],
    ['priority resolution longer than ordinary', { ...valid, priority: { firstResponse: '4h', resolution: '8d' } }],
    ['priority first response after priority resolution', { ...valid, priority: { firstResponse: '4h', resolution: '2h' } }],
    ['a role that handles no tickets', { ...valid, routeToRole: 'representative' }],
    ['a bad duration', { ...valid, resolution: '7 days' }],
    ['an empty label', { ...valid, label: { en: ' ' } }],
  ])('rejects %s', (_name, value) => {
    expect(categorySchema.safeParse(value).success).toBe(false);
  });

  it('allows equal priority and ordinary deadlines (boundary)', () => {
    expect(categorySchema.safeParse({ ...valid, priority: { firstResponse: '1d', resolution: '7d' } }).success).toBe(true);
  });
});

describe('categoryListSchema', () => {
  const other = { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } };

  it('needs "other" and unique codes', () => {
    expect(categoryListSchema.safeParse([other]).success).toBe(true);
    expect(categoryListSchema.safeParse([{ ...other, code: 'noise' }]).success).toBe(false);
    expect(categoryListSchema.safeParse([other, other]).success).toBe(false);
    expect(categoryListSchema.safeParse([]).success).toBe(false);
  });

  it('falls back to "other" for a category removed after filing', () => {
    expect(findCategory(DEFAULT_CATEGORIES, 'gone').code).toBe('other');
    expect(findCategory(DEFAULT_CATEGORIES, 'property_fees').code).toBe('property_fees');
  });
});

describe('ticketSettingsSchema', () => {
  it('makes a working community from nothing', () => {
    const settings = ticketSettingsSchema.parse({});
    expect(settings).toMatchObject({ timezone: 'Asia/Shanghai', numberPrefix: 'MQ', businessHours: null, forumAnchor: null, satisfaction: { windowDays: 90, minimumSample: 10 } });
    expect(settings.categories).toHaveLength(7);
  });

  it('numbers repairs and housekeeping apart from the mailbox, and takes only capital prefixes of known kinds', () => {
    const settings = ticketSettingsSchema.parse({});
    expect(settings.kindPrefixes).toEqual({ repair: 'BX', housekeeping: 'JZ' });
    expect(numberPrefixFor(settings, 'repair')).toBe('BX');
    expect(numberPrefixFor(settings, 'complaint')).toBe('MQ');
    expect(ticketSettingsSchema.safeParse({ kindPrefixes: { repair: 'bx' } }).success).toBe(false);
    expect(ticketSettingsSchema.safeParse({ kindPrefixes: { parcel: 'PK' } }).success).toBe(false);
    expect(numberPrefixFor(ticketSettingsSchema.parse({ kindPrefixes: { repair: 'WX' } }), 'repair')).toBe('WX');
    expect(numberPrefixFor(ticketSettingsSchema.parse({ kindPrefixes: {} }), 'repair')).toBe('MQ');
  });

  it('rejects an unknown zone, a bad prefix and a forum anchor without an offset', () => {
    expect(ticketSettingsSchema.safeParse({ timezone: 'China/Beijing' }).success).toBe(false);
    expect(ticketSettingsSchema.safeParse({ numberPrefix: 'mq' }).success).toBe(false);
    expect(ticketSettingsSchema.safeParse({ forumAnchor: '2026-01-06T15:00:00' }).success).toBe(false);
    expect(ticketSettingsSchema.safeParse({ forumAnchor: '2026-01-06T15:00:00+08:00' }).success).toBe(true);
  });

  it('on business hours, catches hours that outlast a day: 12h is longer than 1d of nine open hours', () => {
    const category = { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '12h', resolution: '3d' } };
    const hours = { weekdays: [1, 2, 3, 4, 5], windows: [{ opens: '08:30', closes: '17:30' }] };
    expect(ticketSettingsSchema.safeParse({ categories: [category] }).success).toBe(true);
    expect(ticketSettingsSchema.safeParse({ categories: [category], businessHours: hours }).success).toBe(false);
    expect(ticketSettingsSchema.safeParse({ categories: [{ ...category, businessHours: false }], businessHours: hours }).success).toBe(true);
    expect(ticketSettingsSchema.safeParse({ categories: [{ ...category, priority: { firstResponse: '9h', resolution: '3d' } }], businessHours: hours }).success).toBe(true);
  });
});

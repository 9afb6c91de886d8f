import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { categorySchema, DEFAULT_CATEGORIES } from '../../../../src/features/tickets/rules/categories.js';
import { isTicketKind, MAILBOX_KINDS, TICKET_KINDS } from '../../../../src/features/tickets/rules/kinds.js';
import { categoryName, kindKey, statusKey } from '../../../../src/features/tickets/rules/labels.js';
import { isOpenStatus, TICKET_STATUSES } from '../../../../src/features/tickets/rules/statuses.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const catalogue = (locale: string) => JSON.parse(readFileSync(join(root, 'locales', `${locale}.json`), 'utf8')) as Record<string, unknown>;
const lookup = (locale: string, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue(locale));

describe('ticket labels', () => {
  it('names every default category, kind and status in both locales', () => {
    const keys = [
      ...DEFAULT_CATEGORIES.map((c) => (categoryName(c, 'zh-CN') as { key: string }).key),
      ...TICKET_KINDS.map(kindKey),
      ...TICKET_STATUSES.map(statusKey),
    ];
    for (const locale of ['zh-CN', 'en']) {
      for (const key of keys) expect(typeof lookup(locale, key), `${locale} ${key}`).toBe('string');
    }
    expect(lookup('zh-CN', 'tickets.category.public_security')).toBe('治安');
  });

  it('a community’s own category uses its own label, in the asked locale first', () => {
    const base = { firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } };
    const own = categorySchema.parse({ ...base, code: 'parking', label: { 'zh-CN': '停车', en: 'Parking' } });
    expect(categoryName(own, 'en')).toEqual({ text: 'Parking' });
    expect(categoryName(own, 'fr')).toEqual({ text: '停车' });
    expect(categoryName(categorySchema.parse({ ...base, code: 'parking' }), 'en')).toEqual({ key: 'tickets.category.other' });
  });
});

describe('vocabularies', () => {
  it('knows the kinds, the mailbox ones first', () => {
    expect(MAILBOX_KINDS).toEqual(['complaint', 'suggestion', 'praise']);
    expect(isTicketKind('patrol_report')).toBe(true);
    expect(isTicketKind('bug')).toBe(false);
  });

  it('only new and in-progress tickets are open', () => {
    expect(TICKET_STATUSES.filter(isOpenStatus)).toEqual(['new', 'in_progress']);
  });
});

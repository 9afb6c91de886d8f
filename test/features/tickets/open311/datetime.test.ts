import { describe, expect, it } from 'vitest';
import { formatOpen311Datetime } from '../../../../src/features/tickets/open311/datetime.js';

describe('formatOpen311Datetime', () => {
  it('writes the community’s wall clock with its +08:00 offset, to the second', () => {
    expect(formatOpen311Datetime(new Date('2026-01-05T01:30:00.789Z'), 'Asia/Shanghai')).toBe('2026-01-05T09:30:00+08:00');
  });

  it('crosses midnight into the local date', () => {
    expect(formatOpen311Datetime(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01T00:00:00+08:00');
  });

  it('writes Z for UTC and the right offset on each side of a daylight-saving change', () => {
    expect(formatOpen311Datetime(new Date('2026-01-05T01:30:00Z'), 'UTC')).toBe('2026-01-05T01:30:00Z');
    expect(formatOpen311Datetime(new Date('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe('2026-03-29T01:59:59+01:00');
    expect(formatOpen311Datetime(new Date('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe('2026-03-29T03:00:00+02:00');
  });

  it('is parsed back to the same second', () => {
    const instant = new Date('2026-06-01T08:15:30Z');
    expect(new Date(formatOpen311Datetime(instant, 'Asia/Shanghai')).getTime()).toBe(instant.getTime());
  });
});

import { describe, expect, it } from 'vitest';
import { localYear } from '../../../../src/features/tickets/rules/local-time.js';
import {
  formatTicketNumber,
  parseLeadingTicketReference,
  parseTicketNumber,
  ticketNumberText,
} from '../../../../src/features/tickets/rules/ticket-number.js';

const context = { defaultPrefix: 'MQ', currentYear: 2026 };

describe('formatTicketNumber', () => {
  it('pads the sequence to five digits', () => {
    expect(formatTicketNumber('MQ', 2026, 123)).toBe('MQ-2026-00123');
    expect(formatTicketNumber('MQ', 2026, 1)).toBe('MQ-2026-00001');
    expect(formatTicketNumber('MQ', 2026, 99_999)).toBe('MQ-2026-99999');
  });

  it('grows past 99,999 instead of wrapping or truncating', () => {
    expect(formatTicketNumber('MQ', 2026, 100_000)).toBe('MQ-2026-100000');
    expect(formatTicketNumber('BX', 2027, 999_999_999)).toBe('BX-2027-999999999');
  });

  it.each([
    ['mq', 2026, 1],
    ['M', 2026, 1],
    ['MQXYZ', 2026, 1],
    ['M1', 2026, 1],
    ['MQ', 1999, 1],
    ['MQ', 10_000, 1],
    ['MQ', 2026.5, 1],
    ['MQ', 2026, 0],
    ['MQ', 2026, -3],
    ['MQ', 2026, 1.5],
    ['MQ', 2026, 1_000_000_000],
  ])('refuses %s / %s / %s', (prefix, year, seq) => {
    expect(() => formatTicketNumber(prefix, year, seq)).toThrow(RangeError);
  });
});

describe('parseTicketNumber', () => {
  it.each([
    ['MQ-2026-00123', 'exact'],
    ['mq-2026-123', 'lower case, no padding'],
    ['#MQ-2026-00123', 'leading #'],
    ['  #  mq-2026-00123  ', 'spaces'],
    ['＃ＭＱ－２０２６－００１２３', 'full-width'],
    ['ｍｑ２０２６００１２３', 'full-width, no separators'],
    ['MQ—2026—123', 'em dashes'],
    ['MQ–2026–123', 'en dashes'],
    ['MQ−2026−123', 'minus signs'],
    ['MQ 2026 123', 'spaces as separators'],
    ['MQ_2026_123', 'underscores'],
    ['MQ2026123', 'no separators'],
    ['MQ-2026-000000123', 'extra zeros'],
  ])('reads %s (%s) as ticket 123 of 2026', (input) => {
    expect(parseTicketNumber(input, context)).toEqual({ prefix: 'MQ', year: 2026, seq: 123, form: 'full' });
  });

  it('keeps another prefix and year for the caller to look up', () => {
    expect(parseTicketNumber('bx-2025-7', context)).toEqual({ prefix: 'BX', year: 2025, seq: 7, form: 'full' });
  });

  it('reads a big sequence', () => {
    expect(parseTicketNumber('MQ-2026-123456', context)).toMatchObject({ seq: 123_456 });
  });

  it.each(['#123', '123', '＃１２３', '# 123', '#00123'])('reads the short form %s as this year’s ticket with the default prefix', (input) => {
    expect(parseTicketNumber(input, context)).toEqual({ prefix: 'MQ', year: 2026, seq: 123, form: 'short' });
  });

  it('takes the year of a short form from the context, so in January #5 is the new year’s ticket 5', () => {
    expect(parseTicketNumber('#5', { defaultPrefix: 'MQ', currentYear: 2027 })).toMatchObject({ year: 2027, seq: 5 });
  });

  it.each([
    '',
    '#',
    'hello',
    'MQ-2026',
    'MQ-2026-0',
    '#0',
    '0',
    'MQ-1999-00001',
    'MQ-2026-1234567890',
    '#1234567890',
    'MQ-2026-00123x',
    'M-2026-1',
    'MQXYZ-2026-1',
    '12-3',
    '3号楼',
  ])('rejects %j', (input) => {
    expect(parseTicketNumber(input, context)).toBeNull();
  });

  it('round-trips through the canonical text', () => {
    for (const text of ['MQ-2026-00001', 'MQ-2026-99999', 'MQ-2026-100000', 'BX-2030-00042']) {
      expect(ticketNumberText(parseTicketNumber(text, context)!)).toBe(text);
    }
  });
});

describe('localYear for ticket numbers', () => {
  it('uses the community’s calendar: 00:30 on 1 January in Beijing is already the new year', () => {
    expect(localYear(new Date('2026-12-31T16:30:00Z'), 'Asia/Shanghai')).toBe(2027);
    expect(localYear(new Date('2026-12-31T15:59:59.999Z'), 'Asia/Shanghai')).toBe(2026);
  });
});

describe('parseLeadingTicketReference', () => {
  it('splits a staff reply into the ticket and the text', () => {
    expect(parseLeadingTicketReference('#MQ-2026-00123 已派人处理', context)).toEqual({
      number: { prefix: 'MQ', year: 2026, seq: 123, form: 'full' },
      rest: '已派人处理',
    });
  });

  it('accepts the short form with its #, and Chinese text right after the number', () => {
    expect(parseLeadingTicketReference('#123已处理', context)).toEqual({ number: { prefix: 'MQ', year: 2026, seq: 123, form: 'short' }, rest: '已处理' });
    expect(parseLeadingTicketReference('  #123   明天上午修  ', context)?.rest).toBe('明天上午修');
  });

  it('accepts a full number without # and drops one separator after it', () => {
    expect(parseLeadingTicketReference('MQ-2026-00123：收到', context)?.rest).toBe('收到');
    expect(parseLeadingTicketReference('mq-2026-123, ok', context)?.rest).toBe('ok');
  });

  it('keeps the writer’s own characters in the rest after a full-width number', () => {
    expect(parseLeadingTicketReference('＃ＭＱ－２０２６－１２３ 好的，ＯＫ', context)).toEqual({
      number: { prefix: 'MQ', year: 2026, seq: 123, form: 'full' },
      rest: '好的，ＯＫ',
    });
    expect(parseLeadingTicketReference('＃１２３😀好', context)?.rest).toBe('😀好');
  });

  it('returns an empty rest for a bare reference', () => {
    expect(parseLeadingTicketReference('#123', context)?.rest).toBe('');
  });

  it.each([
    '3号楼漏水',
    '123 收到',
    'the #123 ticket',
    '#1234567890 too long',
    '#MQ-2026-00123abc',
    '#0 zero',
    '',
  ])('finds no reference in %j', (message) => {
    expect(parseLeadingTicketReference(message, context)).toBeNull();
  });
});

/**
 * The repair rules at their boundaries: settings defaults, priority households and the fee rule,
 * the dangers, the home-time windows in the community's time zone, and the expected time.
 */
import { describe, expect, it } from 'vitest';
import { answerDueAt } from '../../../src/features/repairs/rules/answer-window.js';
import { isDanger, kindOfDanger } from '../../../src/features/repairs/rules/dangers.js';
import { expectedBy, repairTier } from '../../../src/features/repairs/rules/expected-time.js';
import { homeWindowChoices, homeWindowValue, readHomeWindow } from '../../../src/features/repairs/rules/home-windows.js';
import { feeToTell, householdFee, isPriorityRepair } from '../../../src/features/repairs/rules/priority.js';
import { parseRepairSettings } from '../../../src/features/repairs/rules/repair-settings.js';
import { readMaterials, residentNoticeFor, workerSurname } from '../../../src/features/repairs/rules/resident-notices.js';

const TZ = 'Asia/Shanghai';
/** A Beijing wall-clock time as an instant. */
const bj = (iso: string) => new Date(`${iso}+08:00`);

describe('repair settings', () => {
  it('an empty object is a working community: the national numbers, 2h / 4h / 1 day, three slots for two days, free for priority households', () => {
    const settings = parseRepairSettings({});
    expect(settings.emergencyNumbers).toEqual({ fire: '119', medical: '120', police: '110', gas: null, power: '95598' });
    expect(settings.expectedWithin).toEqual({ emergency: { amount: 2, unit: 'h' }, priority: { amount: 4, unit: 'h' }, ordinary: { amount: 1, unit: 'd' } });
    expect(settings.homeSlots).toHaveLength(3);
    expect(settings.homeDays).toBe(2);
    expect(settings.priorityFlags).toEqual(['elderly', 'disabled', 'ill', 'low_income']);
    expect(settings.priorityFee).toBe('free');
    expect(settings.confirmWithinDays).toBe(3);
    expect(parseRepairSettings(null)).toEqual(settings);
  });

  it('takes a community’s own gas line and times, and refuses nonsense', () => {
    const settings = parseRepairSettings({ emergencyNumbers: { gas: '0991-96777' }, expectedWithin: { ordinary: '2d' }, priorityFee: 'materials_only' });
    expect(settings.emergencyNumbers.gas).toBe('0991-96777');
    expect(settings.emergencyNumbers.fire).toBe('119');
    expect(settings.expectedWithin.ordinary).toEqual({ amount: 2, unit: 'd' });
    expect(settings.expectedWithin.priority).toEqual({ amount: 4, unit: 'h' });
    expect(() => parseRepairSettings({ emergencyNumbers: { gas: 'call us' } })).toThrow();
    expect(() => parseRepairSettings({ homeSlots: [{ from: '12:00', to: '08:00' }] })).toThrow();
    expect(() => parseRepairSettings({ priorityFlags: ['rich'] })).toThrow();
    expect(() => parseRepairSettings({ confirmWithinDays: 0 })).toThrow();
    expect(parseRepairSettings({ confirmWithinDays: 14 }).confirmWithinDays).toBe(14);
  });
});

describe('priority households', () => {
  const settings = parseRepairSettings({});
  it('any listed flag makes it a priority repair; a veteran family alone does not by default', () => {
    expect(isPriorityRepair(['low_income'], settings)).toBe(true);
    expect(isPriorityRepair(['elderly', 'veteran_family'], settings)).toBe(true);
    expect(isPriorityRepair(['veteran_family'], settings)).toBe(false);
    expect(isPriorityRepair([], settings)).toBe(false);
    expect(isPriorityRepair(['veteran_family'], parseRepairSettings({ priorityFlags: ['veteran_family'] }))).toBe(true);
  });

  it('pay by the community’s rule; others pay labour and materials', () => {
    const costs = { labourCents: 3000, materialsCents: 1250 };
    expect(householdFee(costs, false, 'free')).toBe(4250);
    expect(householdFee(costs, true, 'free')).toBe(0);
    expect(householdFee(costs, true, 'materials_only')).toBe(1250);
    expect(householdFee(costs, true, 'half')).toBe(2125);
    // An odd fen is the household's.
    expect(householdFee({ labourCents: 1, materialsCents: 0 }, true, 'half')).toBe(0);
    expect(householdFee({ labourCents: -5, materialsCents: 0 }, false, 'free')).toBe(0);
  });

  it('are told what the rule allows whatever the member recorded; others what was recorded, else the materials', () => {
    expect(feeToTell(5000, 1250, false, 'free')).toBe(5000);
    expect(feeToTell(null, 1250, false, 'free')).toBe(1250);
    expect(feeToTell(5000, 1250, true, 'free')).toBe(0);
    expect(feeToTell(5000, 1250, true, 'materials_only')).toBe(1250);
    expect(feeToTell(1000, 1250, true, 'materials_only')).toBe(1000);
    expect(feeToTell(5000, 1250, true, 'half')).toBe(2500);
    expect(feeToTell(null, 1250, true, 'half')).toBe(625);
    expect(feeToTell(0, 1250, true, 'materials_only')).toBe(0);
  });
});

describe('dangers', () => {
  it('each danger is a known job; nothing else is a danger', () => {
    expect(kindOfDanger('sparking')).toBe('power');
    expect(kindOfDanger('collapse')).toBe('roof');
    expect(kindOfDanger('gas')).toBe('other');
    expect(isDanger('gas')).toBe(true);
    expect(isDanger('none')).toBe(false);
  });
});

describe('home windows', () => {
  const slots = [
    { from: '08:00', to: '12:00' },
    { from: '12:00', to: '18:00' },
    { from: '18:00', to: '21:00' },
  ];

  it('offers the slots of today that have not ended and all of tomorrow, in the community’s zone', () => {
    // 11:59 Beijing is 03:59 UTC: the morning slot is still under way.
    const offered = homeWindowChoices(bj('2026-12-07T11:59'), TZ, slots, 2);
    expect(offered.map((w) => [w.dayOffset, w.from.toISOString()])).toEqual([
      [0, '2026-12-07T00:00:00.000Z'],
      [0, '2026-12-07T04:00:00.000Z'],
      [0, '2026-12-07T10:00:00.000Z'],
      [1, '2026-12-08T00:00:00.000Z'],
      [1, '2026-12-08T04:00:00.000Z'],
      [1, '2026-12-08T10:00:00.000Z'],
    ]);
    // At 12:00 exactly the morning has ended.
    expect(homeWindowChoices(bj('2026-12-07T12:00'), TZ, slots, 2)).toHaveLength(5);
    // Late in the evening: tomorrow only; the last day of the year rolls into the next.
    const lateNewYear = homeWindowChoices(bj('2026-12-31T21:00'), TZ, slots, 2);
    expect(lateNewYear.map((w) => w.from.toISOString())).toEqual(['2027-01-01T00:00:00.000Z', '2027-01-01T04:00:00.000Z', '2027-01-01T10:00:00.000Z']);
  });

  it('a window travels as its value and comes back; a past, reversed, overlong or garbled one does not', () => {
    const now = bj('2026-12-07T09:00');
    const [window] = homeWindowChoices(now, TZ, slots, 1);
    expect(readHomeWindow(homeWindowValue(window!), now)).toEqual({ from: window!.from, to: window!.to });
    expect(readHomeWindow(homeWindowValue(window!), window!.to)).toBeNull();
    expect(readHomeWindow(`${window!.to.toISOString()}_${window!.from.toISOString()}`, now)).toBeNull();
    expect(readHomeWindow(`${now.toISOString()}_${new Date(now.getTime() + 24 * 3_600_000 + 1).toISOString()}`, now)).toBeNull();
    // Within the characters a listed choice's value may have.
    expect(homeWindowValue(window!)).toMatch(/^[A-Za-z0-9_.:-]{1,128}$/);
    expect(readHomeWindow('tomorrow_evening', now)).toBeNull();
    expect(readHomeWindow('', now)).toBeNull();
  });
});

describe('expected time', () => {
  const within = parseRepairSettings({}).expectedWithin;
  const filedAt = bj('2026-12-07T09:00');
  const expected = (tier: 'emergency' | 'priority' | 'ordinary', homeWindows: { from: Date; to: Date }[] = []) => expectedBy({ filedAt, tier, within, timezone: TZ, homeWindows });

  it('is the tier’s time from filing when someone is always home', () => {
    expect(repairTier(true, true)).toBe('emergency');
    expect(repairTier(false, true)).toBe('priority');
    expect(repairTier(false, false)).toBe('ordinary');
    expect(expected('emergency')).toEqual(bj('2026-12-07T11:00'));
    expect(expected('priority')).toEqual(bj('2026-12-07T13:00'));
    expect(expected('ordinary')).toEqual(bj('2026-12-08T09:00'));
  });

  it('an emergency ignores home windows', () => {
    expect(expected('emergency', [{ from: bj('2026-12-08T18:00'), to: bj('2026-12-08T21:00') }])).toEqual(bj('2026-12-07T11:00'));
  });

  it('within a window that overlaps the time until the deadline: its end, or the deadline if sooner', () => {
    expect(expected('ordinary', [{ from: bj('2026-12-07T12:00'), to: bj('2026-12-07T18:00') }])).toEqual(bj('2026-12-07T18:00'));
    expect(expected('priority', [{ from: bj('2026-12-07T12:00'), to: bj('2026-12-07T18:00') }])).toEqual(bj('2026-12-07T13:00'));
    // A window starting exactly at the deadline still overlaps it.
    expect(expected('priority', [{ from: bj('2026-12-07T13:00'), to: bj('2026-12-07T18:00') }])).toEqual(bj('2026-12-07T13:00'));
  });

  it('a window only after the deadline: by its end; one already over is ignored', () => {
    expect(expected('priority', [{ from: bj('2026-12-07T13:01'), to: bj('2026-12-07T18:00') }])).toEqual(bj('2026-12-07T18:00'));
    expect(expected('ordinary', [{ from: bj('2026-12-07T06:00'), to: bj('2026-12-07T09:00') }])).toEqual(bj('2026-12-08T09:00'));
  });
});

describe('what the resident is told', () => {
  it('every change the team makes, none of the team’s own business or the resident’s own answers', () => {
    expect(residentNoticeFor('offer')).toBe('offered');
    expect(residentNoticeFor('accept')).toBe('accepted');
    expect(residentNoticeFor('take_over')).toBe('accepted');
    expect(residentNoticeFor('on_the_way')).toBe('on_the_way');
    expect(residentNoticeFor('done')).toBe('done');
    expect(residentNoticeFor('nobody')).toBe('unassigned');
    for (const quiet of ['filed', 'declined', 'expired', 'confirm', 'not_fixed'] as const) expect(residentNoticeFor(quiet)).toBeNull();
  });

  it('reads the member’s materials defensively and calls a worker by the family name', () => {
    expect(readMaterials([{ name: ' 水管接头 ', quantity: 2, costCents: 1250.4 }, { name: '' }, 'x', null, { name: '生料带' }])).toEqual([
      { name: '水管接头', quantity: 2, costCents: 1250 },
      { name: '生料带', quantity: 1, costCents: 0 },
    ]);
    expect(readMaterials('nothing')).toEqual([]);
    expect(workerSurname(' 郑水暖')).toBe('郑');
    expect(workerSurname('')).toBe('');
  });
});

describe('the resident’s days to answer', () => {
  it('run on the community’s calendar from the moment the work was done', () => {
    expect(answerDueAt(bj('2026-12-07T16:30'), 3, TZ)).toEqual(bj('2026-12-10T16:30'));
    expect(answerDueAt(bj('2026-12-31T23:59'), 1, TZ)).toEqual(bj('2027-01-01T23:59'));
  });
});

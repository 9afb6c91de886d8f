import { describe, expect, it } from 'vitest';
import { jobOffsets, offsetsFor, parseOffsets, reminderStanding, remindsInvitee, sentKey } from '../../../src/features/meetings/rules/reminders.js';
import { nextMeetingNumber, parseRsvpArgument } from '../../../src/features/meetings/rules/rsvp.js';

const start = new Date('2026-05-10T11:00:00Z');

describe('meeting reminder rules', () => {
  it('is due at exactly the offset, not a minute (or a millisecond) early, and never once the meeting began', () => {
    expect(reminderStanding(start, 120, new Date('2026-05-10T08:59:59.999Z'))).toBe('early');
    expect(reminderStanding(start, 120, new Date('2026-05-10T09:00:00Z'))).toBe('due');
    expect(reminderStanding(start, 120, new Date('2026-05-10T10:59:59Z'))).toBe('due');
    expect(reminderStanding(start, 120, start)).toBe('late');
  });

  it("takes the person's own offsets instead of the meeting's, and every offset someone needs gets a job", () => {
    expect(offsetsFor([1440, 120], [])).toEqual([1440, 120]);
    expect(offsetsFor([1440, 120], [30])).toEqual([30]);
    expect(jobOffsets([1440, 120], [[30], [120, 2880]])).toEqual([2880, 1440, 120, 30]);
  });

  it('reminds nobody who declined, nobody twice, and only at their offsets', () => {
    const base = { rsvp: 'attend', reminderOffsets: [], remindersSent: [] };
    expect(remindsInvitee(base, [1440, 120], 0, 120)).toBe(true);
    expect(remindsInvitee({ ...base, rsvp: 'pending' }, [1440, 120], 0, 120)).toBe(true);
    expect(remindsInvitee({ ...base, rsvp: 'cannot' }, [1440, 120], 0, 120)).toBe(false);
    expect(remindsInvitee({ ...base, remindersSent: [sentKey(0, 120)] }, [1440, 120], 0, 120)).toBe(false);
    // Sent for the old time; the meeting moved (version 1): due again.
    expect(remindsInvitee({ ...base, remindersSent: [sentKey(0, 120)] }, [1440, 120], 1, 120)).toBe(true);
    expect(remindsInvitee({ ...base, reminderOffsets: [30] }, [1440, 120], 0, 120)).toBe(false);
  });

  it('reads offsets as people type them, and refuses what it cannot read', () => {
    expect(parseOffsets('24h 2h')).toEqual([1440, 120]);
    expect(parseOffsets('1天，30分钟')).toEqual([1440, 30]);
    expect(parseOffsets('3小时')).toEqual([180]);
    expect(parseOffsets('90m')).toEqual([90]);
    expect(parseOffsets('5m')).toEqual([5]);
    expect(parseOffsets('4m')).toBeNull();
    expect(parseOffsets('15d')).toBeNull();
    expect(parseOffsets('soon')).toBeNull();
    expect(parseOffsets('1h 2h 3h 4h 5h')).toBeNull();
  });

  it('reads an /rsvp argument and numbers meetings per year', () => {
    expect(parseRsvpArgument('hy-2026-00012 attend')).toEqual({ number: 'HY-2026-00012', answer: 'attend' });
    expect(parseRsvpArgument('HY-2026-00012')).toEqual({ number: 'HY-2026-00012', answer: null });
    expect(parseRsvpArgument('HY-2026-00012 sure')).toBeNull();
    expect(parseRsvpArgument('MQ-2026-00012 attend')).toBeNull();
    expect(nextMeetingNumber(2026, null)).toBe('HY-2026-00001');
    expect(nextMeetingNumber(2026, 'HY-2026-00041')).toBe('HY-2026-00042');
    expect(nextMeetingNumber(2027, 'HY-2026-00041')).toBe('HY-2027-00001');
  });
});

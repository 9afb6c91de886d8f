/**
 * The sitting's commands as typed: staff commands with the meeting's number in any case, a
 * missing or malformed part answered with the usage (never guessed), and a person's petition
 * words in either language, the longer word first ("发起联名" is not "联名").
 */
import { describe, expect, it } from 'vitest';
import { parsePersonFloorCommand, parseStaffFloorCommand } from '../../../src/features/meetings/floor/chat/floor-commands.js';
import { floorButton } from '../../../src/features/meetings/floor/chat/floor-buttons.js';

describe('staff floor commands', () => {
  it('reads each command with the meeting number in any case', () => {
    expect(parseStaffFloorCommand('/checkin_open hy-2026-00001')).toEqual({ name: 'checkin_open', meeting: 'hy-2026-00001' });
    expect(parseStaffFloorCommand('/vote_open HY-2026-00001 2')).toEqual({ name: 'vote_open', meeting: 'HY-2026-00001', position: 2 });
    expect(parseStaffFloorCommand('/motion_secret HY-2026-00001 更换保洁公司')).toMatchObject({ name: 'motion', ballot: 'secret', kind: 'ordinary', title: '更换保洁公司' });
    expect(parseStaffFloorCommand('/motion_recall HY-2026-00001 李主任')).toMatchObject({ kind: 'recall', ballot: 'secret' });
    expect(parseStaffFloorCommand('/motion_fund HY-2026-00001 3')).toMatchObject({ kind: 'fund_item', title: '3' });
    expect(parseStaffFloorCommand('/checkin_person HY-2026-00001 王秀英')).toEqual({ name: 'checkin_person', meeting: 'HY-2026-00001', personName: '王秀英' });
    expect(parseStaffFloorCommand('/poll_open HY-2026-00001')).toEqual({ name: 'poll_open', meeting: 'HY-2026-00001', memberName: null });
  });
  it('answers a missing or malformed part with the usage', () => {
    expect(parseStaffFloorCommand('/vote_open HY-2026-00001')).toEqual({ name: 'usage', command: 'vote_open' });
    expect(parseStaffFloorCommand('/motion_fund HY-2026-00001 三')).toEqual({ name: 'usage', command: 'motion_fund' });
    expect(parseStaffFloorCommand('/attendance')).toEqual({ name: 'usage', command: 'attendance' });
    expect(parseStaffFloorCommand('/claim 12')).toBeNull();
  });
});

describe('a person\'s floor commands', () => {
  const start = ['发起联名', 'petition'];
  const sign = ['联名', '签名', 'sign'];
  it('starts and signs petitions by words or commands', () => {
    expect(parsePersonFloorCommand('发起联名 修路', start, sign)).toEqual({ name: 'petition', title: '修路' });
    expect(parsePersonFloorCommand('联名 qz-2026-00001', start, sign)).toEqual({ name: 'sign', petition: 'qz-2026-00001' });
    expect(parsePersonFloorCommand('/sign QZ-2026-00001', start, sign)).toEqual({ name: 'sign', petition: 'QZ-2026-00001' });
    expect(parsePersonFloorCommand('联名', start, sign)).toEqual({ name: 'usage', command: 'sign' });
    expect(parsePersonFloorCommand('联名信怎么写', start, sign)).toBeNull();
    // Everyday words after "sign" go on to the flows.
    expect(parsePersonFloorCommand('sign me up for the trip', start, sign)).toBeNull();
    expect(parsePersonFloorCommand('/sign 12', start, sign)).toEqual({ name: 'usage', command: 'sign' });
  });
  it('takes /checkin only with a meeting number', () => {
    expect(parsePersonFloorCommand('/checkin HY-2026-00001', start, sign)).toEqual({ name: 'checkin', meeting: 'HY-2026-00001' });
    expect(parsePersonFloorCommand('/checkin', start, sign)).toEqual({ name: 'usage', command: 'checkin' });
  });
});

describe('the floor buttons', () => {
  it('read back what they wrote, and nothing else', () => {
    for (const press of [
      { what: 'check_in', meetingId: 'm1' },
      { what: 'vote', motionId: 'v1', choice: 'abstain' },
      { what: 'poll', pollId: 'p1', answer: 'basically_satisfied' },
    ] as const) expect(floorButton.read(floorButton.write(press))).toEqual(press);
    expect(floorButton.read(['v', 'v1', 'maybe'])).toBeNull();
    expect(floorButton.read(['p', 'p1', 'x'])).toBeNull();
    expect(floorButton.read(['c'])).toBeNull();
  });
});

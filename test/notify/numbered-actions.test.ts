/**
 * When a typed number answers a notice's numbered buttons rather than the flow: typed in the chat
 * the notice went to, newer than the last numbered choices a flow showed there, and within a day.
 */
import { describe, expect, it } from 'vitest';
import { NUMBERED_ACTIONS_EXPIRE_MS, numberedActionsApply } from '../../src/notify/numbered-actions.js';

const written = new Date('2026-12-07T08:00:00Z');
const pending = { chatId: 'wx-person', writtenAt: written };
const later = (ms: number) => new Date(written.getTime() + ms);

describe('numbered actions', () => {
  it('answer a number typed in their chat after the notice, when no flow numbered anything since', () => {
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: null, now: later(60_000) })).toBe(true);
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: later(-60_000), now: later(60_000) })).toBe(true);
  });

  it('give way to numbered choices shown after them', () => {
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: later(1), now: later(60_000) })).toBe(false);
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: written, now: later(60_000) })).toBe(false);
  });

  it('expire a day after the notice', () => {
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: null, now: later(NUMBERED_ACTIONS_EXPIRE_MS) })).toBe(true);
    expect(numberedActionsApply(pending, { chatId: 'wx-person', numberedAt: null, now: later(NUMBERED_ACTIONS_EXPIRE_MS + 1) })).toBe(false);
    expect(NUMBERED_ACTIONS_EXPIRE_MS).toBe(24 * 3_600_000);
  });

  it('answer nothing typed in another chat (a group)', () => {
    expect(numberedActionsApply(pending, { chatId: 'some-room@chatroom', numberedAt: null, now: later(60_000) })).toBe(false);
  });
});

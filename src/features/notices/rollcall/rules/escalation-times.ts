/**
 * When each stage of an alert's roll-call is due: the group heads `headsAfterMinutes` after the
 * alert went out, the area stewards `stewardsAfterMinutes` after (Community.noticeSettings). Due
 * at that very instant, not a moment before.
 */
import type { NoticeSettings } from '../../rules/notice-settings.js';

export const ROLL_CALL_STAGES = ['heads', 'stewards'] as const;
export type RollCallStage = (typeof ROLL_CALL_STAGES)[number];

export function stageDueAt(sentAt: Date, settings: NoticeSettings, stage: RollCallStage): Date {
  const minutes = stage === 'heads' ? settings.rollCall.headsAfterMinutes : settings.rollCall.stewardsAfterMinutes;
  return new Date(sentAt.getTime() + minutes * 60_000);
}

export function stageIsDue(sentAt: Date, settings: NoticeSettings, stage: RollCallStage, now: Date): boolean {
  return now.getTime() >= stageDueAt(sentAt, settings, stage).getTime();
}

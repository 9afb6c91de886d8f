/**
 * Alerts sent through the app's own notices service (`NoticeService`), as the console and the
 * chat commands send them. `noticeSending()` is a feature of the test's own, installed after the
 * app's (`startTestApp(…, { extraFeatures: [sending.feature] })`), that takes the service the
 * notices module builds (`noticeServiceFor`: the app's button registry, queues and clock).
 * `sendAlert` drafts and confirms as a person who may send to the audience (a committee member
 * of the test's seed): the policy, the audit, the rendering, the bulk send and `notice.sent` are
 * the service's. `alertFromWebChat` is the staff's own way in the web chat: `/alert …` typed,
 * then 发送 pressed under the draft's preview.
 */
import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { button, type WebPerson } from './app.js';
import { waitFor } from './wait-for.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { noticeServiceFor } from '../../src/features/notices/module.js';
import type { NoticeDraft, NoticeService } from '../../src/features/notices/send/notice-service.js';
import type { FeatureModule } from '../../src/modules/index.js';

export interface NoticeSending {
  /** To pass in `extraFeatures`. */
  feature: FeatureModule;
  /** The installed app's service (after `startTestApp`). */
  service(): NoticeService;
}

export function noticeSending(): NoticeSending {
  let service: NoticeService | undefined;
  return {
    feature: {
      name: 'test-notice-sending',
      install(context) {
        service = noticeServiceFor(context);
        return {};
      },
    },
    service() {
      if (!service) throw new Error('the notice sending feature is not installed');
      return service;
    },
  };
}

export interface SentAlert {
  noticeId: string;
  number: string;
}

/**
 * Drafts and confirms a notice as `senderId` (a resident whose roles let them send to the
 * audience): by default the emergency alert to everyone, one message to every person reached.
 * Fails the test unless the service sent it at once.
 */
export async function sendAlert(app: App, service: NoticeService, senderId: string, draft: Partial<NoticeDraft> = {}): Promise<SentAlert> {
  const actor = await loadActor(app.database.prisma, { residentId: senderId });
  if (!actor) throw new Error('no such sender');
  const created = await service.create(actor, {
    kind: 'alert',
    title: '停水停电紧急通知',
    body: '因管道抢修，今晚全片区停水停电，请确认家中平安。',
    audience: { everyone: true },
    via: 'both',
    perHousehold: false,
    ...draft,
  });
  expect(created.status).toBe('created');
  if (created.status !== 'created') throw new Error(created.status);
  const confirmed = await service.confirm(actor, created.noticeId);
  expect(confirmed.status).toBe('sent');
  if (confirmed.status !== 'sent') throw new Error(confirmed.status);
  return { noticeId: confirmed.noticeId, number: confirmed.number };
}

/**
 * `sender` types `command` (`/alert all 标题` and the body below) in their web chat and presses
 * 发送 under the preview; resolves once the notice is sent.
 */
export async function alertFromWebChat(app: App, sender: WebPerson, command: string): Promise<SentAlert> {
  const before = (await sender.received()).length;
  await sender.say(command);
  const preview = await waitFor(async () => (await sender.received()).slice(before).find((m) => m.text.includes('（草稿）')), 'the draft’s preview');
  const number = /TZ-\d{4}-\d+/.exec(preview.text)?.[0];
  if (!number) throw new Error('no notice number in the preview');
  await sender.press(button(preview, '发送'));
  const notice = await waitFor(
    () => app.database.prisma.notice.findFirst({ where: { communityId: app.communityId, number, status: 'sent' }, select: { id: true } }),
    'the alert sent',
  );
  return { noticeId: notice.id, number };
}

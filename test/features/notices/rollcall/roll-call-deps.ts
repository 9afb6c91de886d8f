/**
 * The roll-call's hands over a running test app, for tests that run a stage directly at an
 * instant of their choosing (the boundary at 9:59 and 10:00) rather than through its job. Its
 * buttons are signed with the app's secret, so what it writes is pressed like the app's own.
 */
import type { App } from '../../../../src/app.js';
import { ButtonRegistry } from '../../../../src/buttons/button-registry.js';
import { capabilitiesIn } from '../../../../src/channels/known-channels.js';
import { textLimitFrom } from '../../../../src/channels/text-limit.js';
import { ticketServiceOf } from '../../../../src/features/tickets/module.js';
import type { NoticeAnswerDeps } from '../../../../src/features/notices/answers/answer-deps.js';
import { createLogger } from '../../../../src/log/logger.js';

export function rollCallDepsOf(app: App, now: () => Date): NoticeAnswerDeps {
  const capabilitiesOf = capabilitiesIn(app.channels);
  return {
    prisma: app.database.prisma,
    communityId: app.communityId,
    translator: app.translator,
    events: app.events,
    tickets: { ...ticketServiceOf(app), now },
    outbox: app.outbox,
    buttons: new ButtonRegistry(app.config.LINLI_SECRET ?? ''),
    textLimitOf: (channel) => textLimitFrom(app.channels.get(channel)?.capabilities),
    capabilitiesOf,
    logger: createLogger('silent'),
    now,
  };
}

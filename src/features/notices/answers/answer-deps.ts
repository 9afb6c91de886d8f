/** What answering a notice and the roll-call need from the app: one set of hands for the press, the jobs, the staff chat and the console. */
import type { TextLimitOf } from '../../../channels/text-limit.js';
import type { ChannelCapabilities, ChannelName } from '../../../channels/types.js';
import type { ButtonMaker } from '../../../buttons/button-registry.js';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { EventPublisher } from '../../../events/index.js';
import type { Translator } from '../../../i18n/translator.js';
import type { Logger } from '../../../log/logger.js';
import type { OutboxDispatcher } from '../../../outbox/outbox.js';
import type { TicketServiceDeps } from '../../tickets/service/ticket-service-deps.js';

export interface NoticeAnswerDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  events: EventPublisher;
  tickets: TicketServiceDeps;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  buttons: ButtonMaker;
  textLimitOf: TextLimitOf;
  /** What a channel can show, whether this process has it or not (its declared capabilities). */
  capabilitiesOf: (channel: ChannelName) => ChannelCapabilities;
  logger: Logger;
  now: () => Date;
}

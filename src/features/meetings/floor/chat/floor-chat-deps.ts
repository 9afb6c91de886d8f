/** What the floor's chat handlers need: the services' deps, buttons, channels, the outbox. */
import type { TextLimitOf } from '../../../../channels/text-limit.js';
import type { PrismaClient } from '../../../../db/prisma-types.js';
import type { EventPublisher } from '../../../../events/index.js';
import type { OutboxDispatcher } from '../../../../outbox/outbox.js';
import type { FloorDeps } from '../service/floor-deps.js';
import type { FloorMessagesDeps } from './floor-messages.js';

export interface FloorChatDeps {
  prisma: PrismaClient;
  communityId: string;
  floor: FloorDeps;
  messages: FloorMessagesDeps;
  events: EventPublisher;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  textLimitOf: TextLimitOf;
}

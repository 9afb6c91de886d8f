/**
 * The staff inbox as a module: its staff chats are heard whole by the channels and a channel with
 * forum topics finds a ticket's topic or card at delivery (`staffChats`), its posts listen to tickets and binding
 * requests on the bus, its handler takes staff messages before the conversation service, and it
 * binds the configured staff chats and keeps their list fresh once started (serving processes).
 */
import { configuredStaffChats } from '../channels/configured-staff-chats.js';
import { ticketServiceOf } from '../features/tickets/module.js';
import type { FeatureModule } from '../modules/index.js';
import { Inbox } from './index.js';

export const inbox: FeatureModule = {
  name: 'inbox',
  install(context) {
    const { prisma, communityId, logger, config, translator, buttons, events, outbox, serve } = context;
    const configured = configuredStaffChats(config);
    const staff = new Inbox({
      prisma,
      communityId,
      logger,
      configuredStaffChats: configured.byId,
      namedStaffRoom: configured.byName,
      translator,
      buttons,
      capabilitiesOf: (channel) => context.channels.declaredCapabilitiesOf(channel),
      tickets: ticketServiceOf(context),
      events,
      outbox,
      textLimitOf: (channel) => context.channels.textLimitOf(channel),
    });
    staff.listen(events);
    return {
      staffChats: {
        hearsAllIn: (channel) => staff.hearsAllIn(channel),
        wrapThreads: (channel) => staff.wrapThreads(channel),
        followChatMoves: (channel, inner) => staff.followChatMoves(channel, inner),
      },
      handler: (next) => staff.handler(next),
      async start(channels) {
        if (!serve) return;
        await staff.start({ forums: channels.forums, rooms: channels.rooms });
      },
      stop: () => staff.stop(),
    };
  },
};

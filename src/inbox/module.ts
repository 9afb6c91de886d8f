/**
 * The staff inbox as a module: its staff chats are heard whole by the channels and Telegram's
 * delivery finds a ticket's topic or card (`staffChats`), its posts listen to tickets and binding
 * requests on the bus, its handler takes staff messages before the conversation service, and it
 * binds the configured staff chats and keeps their list fresh once started (serving processes).
 */
import { ticketServiceOf } from '../features/tickets/module.js';
import type { FeatureModule } from '../modules/index.js';
import { Inbox } from './index.js';

export const inbox: FeatureModule = {
  name: 'inbox',
  install(context) {
    const { prisma, communityId, logger, config, translator, buttons, events, outbox, serve } = context;
    const staff = new Inbox({
      prisma,
      communityId,
      logger,
      telegramStaffChatId: config.TELEGRAM_STAFF_CHAT_ID,
      wechatStaffRoom: config.WECHAT_STAFF_ROOM,
      translator,
      buttons,
      capabilitiesOf: (channel) => context.channels.capabilitiesIfHere(channel),
      tickets: ticketServiceOf(context),
      events,
      outbox,
      textLimitOf: (channel) => context.channels.textLimitOf(channel),
    });
    staff.listen(events);
    return {
      staffChats: {
        hearsAllIn: (channel) => staff.hearsAllIn(channel),
        wrapTelegram: (channel) => staff.wrapTelegram(channel),
        followChatMoves: (inner) => staff.followChatMoves(inner),
      },
      handler: (next) => staff.handler(next),
      async start(channels) {
        if (serve) await staff.start(channels);
      },
      stop: () => staff.stop(),
    };
  },
};

/**
 * Where a pressed button enters: the router's first handler. A choice (button data that came back
 * from any channel) goes to the button registry (`src/buttons/`), which verifies it and hands it
 * to its kind's handler — a flow choice or command button to the conversation service, a card or
 * binding request button to the staff inbox — or refuses it; everything else goes on to `next`.
 *
 * @example
 * const buttons: ChatButtons = new ButtonRegistry(secret, { logger });
 * const router = new Router({ …, handler: buttonPressesFirst(buttons, inbox.handler(conversations)) });
 */
import type { ButtonPress, ButtonRegistry } from '../buttons/button-registry.js';
import type { InboundMessage } from '../channels/types.js';
import type { Speaker } from './conversation-service.js';
import type { InboundReceipt } from './inbound-records.js';
import type { MessageHandler } from './router.js';

/** A press as the registry's handlers get it: who pressed, the message it came in, its receipt. */
export interface ChatButtonPress extends ButtonPress {
  speaker: Speaker;
  inbound: InboundMessage;
  receipt?: InboundReceipt;
}

/** The app's one button registry. */
export type ChatButtons = ButtonRegistry<ChatButtonPress>;

/** A handler that sends presses to the registry and everything else to `next`. */
export function buttonPressesFirst(buttons: ChatButtons, next: MessageHandler): MessageHandler {
  return {
    handleMessage(speaker, inbound, receipt) {
      if (inbound.kind !== 'choice') return next.handleMessage(speaker, inbound, receipt);
      return buttons.press(inbound.choiceData ?? '', { chatAccountId: speaker.chatAccountId, speaker, inbound, ...(receipt ? { receipt } : {}) });
    },
  };
}

/**
 * A button registry for tests whose handlers record what reached them: the verified fields of a
 * press, or the refusal and its reason. `pressed(data, by)` says what one press came to.
 */
import type { ButtonKind } from '../../src/buttons/button-kind.js';
import { ButtonRegistry, type ButtonPress, type ButtonRefusal } from '../../src/buttons/button-registry.js';
import type { ChannelCapabilities } from '../../src/channels/types.js';
import { TELEGRAM_MAX_BUTTON_DATA_BYTES } from '../../src/channels/telegram/telegram-channel.js';

/** A channel with Telegram's buttons. */
export const TELEGRAM_LIKE: ChannelCapabilities = { buttons: true, maxButtonDataBytes: TELEGRAM_MAX_BUTTON_DATA_BYTES, photos: true, locations: true, maxTextLength: 4096 };
/** A channel without buttons (WeChat). */
export const BUTTONLESS: ChannelCapabilities = { buttons: false, photos: true, locations: false, maxTextLength: 2000 };

export type PressResult = { prefix: string; fields: unknown } | { prefix: string; refused: ButtonRefusal };

export function recordingButtons(secret = 'a-secret-for-button-registry-tests-0123456789') {
  const registry = new ButtonRegistry<ButtonPress>(secret);
  const results: PressResult[] = [];
  return {
    registry,
    /** Registers `kind` with recording handlers (`stale`: its handler finds every press stale). */
    record<Fields>(kind: ButtonKind<Fields>, options: { answersUnknown?: boolean; stale?: boolean } = {}): void {
      registry.register(
        kind,
        {
          handle: async (fields) => {
            if (options.stale) return 'stale';
            results.push({ prefix: kind.prefix, fields });
          },
          refuse: async (_press, reason) => {
            results.push({ prefix: kind.prefix, refused: reason });
          },
        },
        options.answersUnknown ? { answersUnknown: true } : {},
      );
    },
    /** What pressing `data` as `chatAccountId` came to. */
    async pressed(data: string, chatAccountId = 'account-1'): Promise<PressResult | undefined> {
      results.length = 0;
      await registry.press(data, { chatAccountId });
      return results[0];
    },
  };
}

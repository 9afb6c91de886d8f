/**
 * A location is offered only where the channel declares it can send one: rendering picks the
 * typed-only wording from the channel's capabilities, not from its name.
 */
import { describe, expect, it } from 'vitest';
import type { ChannelCapabilities } from '../../src/channels/types.js';
import { renderMessages } from '../../src/conversation/render.js';
import { recordingButtons } from '../support/buttons.js';
import { testTranslator } from './support/test-locales.js';

const translator = testTranslator();
const buttons = recordingButtons().registry;
const askPlace = { key: 'flows.complaint.ask_place', typedKey: 'flows.complaint.ask_place_typed' };

function rendered(capabilities: ChannelCapabilities, locale = 'zh-CN'): string {
  const [message] = renderMessages([askPlace], { translator, locale, capabilities, buttons, vars: {}, at: null });
  return message!.text;
}

describe('asking for a place', () => {
  it('offers a location where the channel can send one', () => {
    expect(rendered({ buttons: true, photos: true, locations: true, maxTextLength: 4096 })).toBe(translator.t('zh-CN', 'flows.complaint.ask_place'));
    expect(rendered({ buttons: true, photos: true, locations: true, maxTextLength: 4096 }, 'en')).toContain('send a location');
  });

  it('asks for words only where it cannot', () => {
    for (const locale of ['zh-CN', 'en']) {
      const text = rendered({ buttons: false, photos: true, locations: false, maxTextLength: 2000 }, locale);
      expect(text).toBe(translator.t(locale, 'flows.complaint.ask_place_typed'));
      expect(text).not.toMatch(/位置|location/i);
    }
  });

  it('a message without a typed form reads the same everywhere', () => {
    const [message] = renderMessages([{ key: 'flows.complaint.ask_where' }], {
      translator,
      locale: 'zh-CN',
      capabilities: { buttons: true, photos: true, locations: false, maxTextLength: 2000 },
      buttons,
      vars: {},
      at: null,
    });
    expect(message!.text).toBe(translator.t('zh-CN', 'flows.complaint.ask_where'));
  });
});

/**
 * The notices archive (通知公告): residents open it from the main menu (flows/notices.yaml), read
 * the latest notices addressed to them, open one in full and search with their own words; a
 * notice sent without its search text gets it when `notice.sent` is heard.
 */
import { EffectArg } from '../../../conversation/effect-signature.js';
import type { EffectEntry } from '../../../conversation/effects.js';
import type { FeatureModule } from '../../../modules/index.js';
import { noticesListEffect, noticesOpenEffect } from './archive-effects.js';
import { indexSentNotice } from './search-text-listener.js';

export const noticeArchive: FeatureModule = {
  name: 'noticeArchive',
  effects: {
    /** `{ status: ok | none | no_match, items, heading, more, next, offset, query }`: a page of the notices the person may read, or those answering `query`. */
    notices_list: { args: { query: EffectArg.text, offset: EffectArg.number }, readOnly: true },
    /** Sends the notice (a listed id) to the person's chat: `{ status: ok | gone, asks: yes | no }`. */
    notices_open: { args: { notice: EffectArg.saved } },
  },
  install(context) {
    const { translator, buttons, channels, events, clock } = context;
    events.on('notice.sent', (tx, sent) => indexSentNotice(tx, sent.noticeId));
    return {
      effects: new Map<string, EffectEntry>([
        ['notices_list', noticesListEffect(translator, clock)],
        ['notices_open', noticesOpenEffect({ translator, buttons, channels, documentLink: context.documentLink }, clock)],
      ]),
    };
  },
};

/** What the web chat can show and do (a page of ours: buttons, photos, one conversation per browser). */
import type { ChannelCapabilities } from '../types.js';

/** The most a button's data may hold: what the message route takes back when it is pressed. */
export const WEB_MAX_BUTTON_DATA_BYTES = 1024;

export const WEB_CAPABILITIES: ChannelCapabilities = {
  buttons: true,
  maxButtonDataBytes: WEB_MAX_BUTTON_DATA_BYTES,
  photos: true,
  // A file is a download link on the page, served to this browser's session only.
  documents: true,
  // A resident types an address instead; a browser location would need HTTPS and consent.
  locations: false,
  maxTextLength: 2000,
  threads: 'none',
  forceReply: false,
  // An edit replaces the stored message: the page drops the old one and shows the new at the end.
  edits: true,
  chatOrder: 2,
};

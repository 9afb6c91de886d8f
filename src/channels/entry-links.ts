/**
 * Addresses that open a conversation with the community's bot from outside any chat — printed on
 * paper and scanned with a phone (the households' contact card): the bot's deep link, whose start
 * parameter the bind flow takes as a code (`/start CODE`), and the web chat's page. Features get
 * them as plain links with a label key, never by a channel's name.
 */

/** Where the bot can be reached; each address is optional (a community may have one channel). */
export interface EntryLinkSettings {
  /** The bot's username, without the @. */
  botUsername?: string;
  /** The public address the web chat is served under (scheme and host, optionally a path). */
  webChatBase?: string;
}

export interface EntryLink {
  /** The locale key naming how to open it ("scan with Telegram"). */
  labelKey: string;
  url: string;
}

const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
/** A start parameter may hold letters, digits, `_` and `-`, at most 64 of them. */
const START_PARAMETER = /^[A-Za-z0-9_-]{1,64}$/;

/** Thrown for a username or address that cannot make a working link. */
export class EntryLinkError extends Error {
  override readonly name = 'EntryLinkError';
  constructor(readonly setting: 'botUsername' | 'webChatBase') {
    super(`entry link: bad ${setting}`);
  }
}

/** The links `settings` allow, each opening the bot with `startCode` where the channel can carry one. */
export function entryLinks(settings: EntryLinkSettings, startCode: string | null): EntryLink[] {
  const links: EntryLink[] = [];
  if (settings.botUsername !== undefined) {
    const username = settings.botUsername.replace(/^@/, '');
    if (!BOT_USERNAME.test(username)) throw new EntryLinkError('botUsername');
    const start = startCode !== null && START_PARAMETER.test(startCode) ? `?start=${startCode}` : '';
    links.push({ labelKey: 'entry_link.telegram', url: `https://t.me/${username}${start}` });
  }
  if (settings.webChatBase !== undefined) {
    let base: URL;
    try {
      base = new URL(settings.webChatBase);
    } catch {
      throw new EntryLinkError('webChatBase');
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new EntryLinkError('webChatBase');
    links.push({ labelKey: 'entry_link.web', url: new URL('chat', base.href.endsWith('/') ? base.href : `${base.href}/`).href });
  }
  return links;
}

/**
 * Renders the chat page: the static HTML template in `public/index.html` with the language,
 * the visible UI strings (HTML-escaped) and a JSON block of the strings and limits the script
 * needs. No inline script runs, so the page works under a strict Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import type { Translator } from '../../i18n/translator.js';
import { photoRefusalAnswer } from '../media/photo-refusal-answer.js';

/** Keys the page uses, by the name the template and script know them by. */
const PAGE_STRING_KEYS = {
  title: 'webchat.title',
  heading: 'webchat.heading',
  subheading: 'webchat.subheading',
  conversationLabel: 'webchat.conversationLabel',
  botName: 'webchat.botName',
  youName: 'webchat.youName',
  inputLabel: 'webchat.inputLabel',
  placeholder: 'webchat.placeholder',
  send: 'webchat.send',
  photo: 'webchat.photo',
  photoAlt: 'webchat.photoAlt',
  fileDownload: 'webchat.fileDownload',
  choicesLabel: 'webchat.choicesLabel',
  sending: 'webchat.sending',
  sendFailed: 'webchat.sendFailed',
  retry: 'webchat.retry',
  reconnecting: 'webchat.reconnecting',
  noscript: 'webchat.noscript',
  errorNetwork: 'webchat.errors.network',
  errorEmpty: 'webchat.errors.empty',
  errorTooLong: 'webchat.errors.tooLong',
  // A photo the page itself refuses before uploading gets the words every channel uses.
  errorPhotoTooLarge: photoRefusalAnswer('too_large', 0).key,
  errorPhotoType: photoRefusalAnswer('not_an_image', 0).key,
  errorSession: 'webchat.errors.session',
} as const;

export type PageStrings = Record<keyof typeof PAGE_STRING_KEYS, string>;

export interface PageContext {
  locale: string;
  communityName: string;
  maxTextLength: number;
  maxPhotoBytes: number;
}

const templateUrl = new URL('./public/index.html', import.meta.url);
let template: string | undefined;


/** Every page string in one locale. */
export function pageStrings(translator: Translator, context: PageContext): PageStrings {
  const vars = {
    community: context.communityName,
    max: context.maxTextLength,
  };
  const strings = {} as PageStrings;
  for (const [name, key] of Object.entries(PAGE_STRING_KEYS) as [keyof PageStrings, string][]) {
    const keyVars = name === 'errorPhotoTooLarge' ? photoRefusalAnswer('too_large', context.maxPhotoBytes).vars : vars;
    strings[name] = translator.t(context.locale, key, keyVars);
  }
  // Without a community name the title is just the product name.
  if (!context.communityName) strings.title = strings.heading;
  return strings;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside a <script> element (no way to close it or open a comment). */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The page's HTML for one locale. */
export function renderChatPage(translator: Translator, context: PageContext): string {
  template ??= readFileSync(templateUrl, 'utf8');
  const strings = pageStrings(translator, context);
  // Every language's strings: when the person switches language in the conversation, the page
  // switches its own words at once (a bot message says which language it was written for).
  const locales = Object.fromEntries(translator.locales.map((locale) => [locale, pageStrings(translator, { ...context, locale })]));
  const config = {
    locale: context.locale,
    maxTextLength: context.maxTextLength,
    maxPhotoBytes: context.maxPhotoBytes,
    strings,
    locales,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    if (name === 'lang') return escapeHtml(context.locale);
    if (name === 'config') return jsonForScript(config);
    if (name === 'maxTextLength') return String(context.maxTextLength);
    const value = (strings as Record<string, string>)[name];
    return value === undefined ? whole : escapeHtml(value);
  });
}

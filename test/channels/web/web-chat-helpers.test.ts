import { describe, expect, it } from 'vitest';
import { unsign as unsign_ } from '@fastify/cookie';
import { parseAcceptLanguage, pickLocale } from '../../../src/channels/web/accept-language.js';
import { refForUploadFile, sniffPhotoMime, uploadFileName } from '../../../src/channels/media/photo-files.js';
import {
  newSessionToken,
  sessionCookieHeader,
  sessionIdFromToken,
  tokenFromCookie,
} from '../../../src/channels/web/session-cookie.js';
import { webChatTranslator } from './web-chat-harness.js';

describe('Accept-Language', () => {
  it('orders by weight, keeps header order on ties, and drops q=0 and *', () => {
    expect(parseAcceptLanguage('zh;q=0.5, en-US;q=0.9, fr, de;q=0, *;q=0.1')).toEqual(['fr', 'en-US', 'zh']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });

  it('picks the first supported locale, else the fallback', () => {
    const translator = webChatTranslator();
    expect(pickLocale('ja, en;q=0.8, zh;q=0.7', translator, 'zh-CN')).toBe('en');
    expect(pickLocale('zh-Hans-CN', translator, 'en')).toBe('zh-CN');
    expect(pickLocale('ja', translator, 'zh-CN')).toBe('zh-CN');
  });
});

describe('photo files', () => {
  it('recognises JPEG, PNG and WebP by their first bytes only', () => {
    expect(sniffPhotoMime(Uint8Array.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('image/jpeg');
    expect(sniffPhotoMime(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(sniffPhotoMime(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffPhotoMime(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeUndefined();
    expect(sniffPhotoMime(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffPhotoMime(Uint8Array.from([0xff, 0xd8]))).toBeUndefined();
  });

  it('maps only names it could have made to references', () => {
    const file = `${'a'.repeat(32)}.jpg`;
    expect(refForUploadFile(file)).toBe(`uploads/${file}`);
    expect(uploadFileName(`uploads/${file}`)).toBe(file);
    for (const bad of ['../secret.jpg', `${'a'.repeat(32)}.svg`, `${'A'.repeat(32)}.jpg`, `x/${file}`]) {
      expect(refForUploadFile(bad)).toBeUndefined();
    }
    expect(uploadFileName(`elsewhere/${file}`)).toBeUndefined();
  });
});

describe('session cookie', () => {
  it('accepts only a token signed with our key, unaltered', () => {
    const key = 'cookie-key-for-this-test';
    const unsign = (value: string) => unsign_(value, key);
    const token = newSessionToken();
    const signed = decodeURIComponent(sessionCookieHeader(token, key).slice('linli_chat='.length));
    expect(tokenFromCookie(signed, unsign)).toBe(token);
    expect(tokenFromCookie(token, unsign)).toBeUndefined();
    expect(tokenFromCookie(`${newSessionToken()}${signed.slice(43)}`, unsign)).toBeUndefined();
    expect(tokenFromCookie(decodeURIComponent(sessionCookieHeader(token, 'another-key').slice('linli_chat='.length)), unsign)).toBeUndefined();
    expect(tokenFromCookie(`${signed.slice(0, 50)}${signed[50] === 'A' ? 'B' : 'A'}${signed.slice(51)}`, unsign)).toBeUndefined();
    expect(tokenFromCookie(decodeURIComponent(sessionCookieHeader('short', key).slice('linli_chat='.length)), unsign)).toBeUndefined();
    expect(tokenFromCookie('', unsign)).toBeUndefined();
    expect(tokenFromCookie(undefined, unsign)).toBeUndefined();
  });

  it('derives a stable session id that is not the token', () => {
    const token = newSessionToken();
    expect(sessionIdFromToken(token)).toBe(sessionIdFromToken(token));
    expect(sessionIdFromToken(token)).toMatch(/^[a-f0-9]{32}$/);
    expect(sessionIdFromToken(token)).not.toContain(token.slice(0, 8));
    expect(sessionIdFromToken(newSessionToken())).not.toBe(sessionIdFromToken(token));
  });
});

/**
 * The webhook endpoint (fastify 5): POST at the path of TELEGRAM_WEBHOOK_URL. Telegram sends
 * the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; a request without the
 * matching header gets 401 before its body is read, and changes nothing. 503 while the channel is not running (Telegram
 * keeps the update and tries again).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { plainError } from '../../http/server.js';
import { isUpdate } from './bot-api-shapes.js';
import type { TelegramChannel } from './telegram-channel.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * Updates are small (a message is at most 4,096 characters, photos come as file ids); a long
 * message with its entities and a reply quoted stays far below this.
 */
export const WEBHOOK_BODY_LIMIT_BYTES = 256 * 1024;

/** Adds the route; call before the server listens. Throws if the channel is not in webhook mode. */
export function registerTelegramWebhookRoute(app: FastifyInstance, channel: TelegramChannel): void {
  const webhook = channel.webhook;
  if (!webhook) throw new Error('the telegram channel is not in webhook mode');
  const path = new URL(webhook.url).pathname;

  // The secret is checked as the request arrives, before its body is read: a stranger's body,
  // however large, is never parsed.
  const secretFirst = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!secretMatches(request.headers[SECRET_HEADER], webhook.secret)) return reply.code(401).send({ ok: false, ...plainError(401) });
    return undefined;
  };
  app.post(path, { bodyLimit: WEBHOOK_BODY_LIMIT_BYTES, onRequest: secretFirst }, async (request, reply) => {
    if (!isUpdate(request.body)) return reply.code(400).send({ ok: false, ...plainError(400) });
    const outcome = await channel.receiveWebhookUpdate(request.body);
    return reply.code(outcome === 'accepted' ? 200 : 503).send({ ok: outcome === 'accepted' });
  });
}

/** Constant-time comparison (of digests, so different lengths take the same time too). */
export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

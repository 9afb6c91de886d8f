/**
 * The webhook endpoint (fastify 5): POST at the path of TELEGRAM_WEBHOOK_URL. Telegram sends
 * the secret given to setWebhook in `X-Telegram-Bot-Api-Secret-Token`; a request without the
 * matching header gets 401 and changes nothing. 503 while the channel is not running (Telegram
 * keeps the update and tries again).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isUpdate } from './bot-api-shapes.js';
import type { TelegramChannel } from './telegram-channel.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Updates are small; photos come as file ids. */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Adds the route; call before the server listens. Throws if the channel is not in webhook mode. */
export function registerTelegramWebhookRoute(app: FastifyInstance, channel: TelegramChannel): void {
  const webhook = channel.webhook;
  if (!webhook) throw new Error('the telegram channel is not in webhook mode');
  const path = new URL(webhook.url).pathname;

  app.post(path, { bodyLimit: BODY_LIMIT_BYTES }, async (request, reply) => {
    if (!secretMatches(request.headers[SECRET_HEADER], webhook.secret)) {
      return reply.code(401).send({ ok: false });
    }
    if (!isUpdate(request.body)) return reply.code(400).send({ ok: false });
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

/**
 * What may be logged or stored about an error from Telegram or the network: its class and a
 * code or status. Never the message — it may hold the request URL (and so the bot token) or
 * a person's text.
 */
import { TelegramError } from 'telegraf';

export function errorName(error: unknown): string {
  if (error instanceof TelegramError) return `TelegramError ${error.code}`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
    return code !== undefined ? `${error.name} ${String(code)}` : error.name;
  }
  return 'unknown';
}

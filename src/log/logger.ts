/**
 * Structured logs (pino). Personal data stays out: log ids and counts, never names, phone
 * numbers or message text. The redact list is a safety net for fields that slip in (`err.name`
 * is an error's class name and stays readable).
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

export const REDACTED_FIELDS = [
  'text',
  'name',
  'phone',
  'displayName',
  'payload',
  '*.text',
  'resident.name',
  'person.name',
  '*.phone',
  '*.displayName',
  '*.payload',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'linli' },
      redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

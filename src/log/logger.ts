/**
 * Structured logs (pino). Personal data stays out: log ids and counts, never names, phone
 * numbers or message text. The redact list is a safety net for fields that slip in, at the top
 * level and two levels down (`{ resident: { phone } }`, `{ row: { household: { address } } }`).
 * `name` is redacted only at the top level, in arrays and under objects that hold people:
 * `err.name` is an error's class name and stays readable.
 */
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys that hold personal data or free text wherever they appear. */
const PERSONAL_KEYS = [
  'text',
  'phone',
  'phoneNumber',
  'mobile',
  'address',
  'memberName',
  'fullName',
  'realName',
  'headName',
  'displayName',
  'birthYear',
  'payload',
];

/** Objects whose `name` is a person's. */
const PERSON_HOLDERS = ['resident', 'person', 'member', 'head', 'householdHead', 'staff', 'requester', 'row', 'user'];

export const REDACTED_FIELDS = [
  'name',
  ...PERSONAL_KEYS,
  ...PERSONAL_KEYS.map((key) => `*.${key}`),
  ...PERSONAL_KEYS.map((key) => `*.*.${key}`),
  ...PERSONAL_KEYS.map((key) => `*[*].${key}`),
  '*[*].name',
  ...PERSON_HOLDERS.map((holder) => `${holder}.name`),
  ...PERSON_HOLDERS.map((holder) => `*.${holder}.name`),
];

const CENSOR = '[redacted]';

/** The listening address (`{ address: 'http://…' }` when the server is ready) is not a person's. */
function censor(value: unknown, path: string[]): unknown {
  if (path.length === 1 && path[0] === 'address' && typeof value === 'string' && /^[a-z]+:\/\//.test(value)) return value;
  return CENSOR;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'linli' },
      redact: { paths: REDACTED_FIELDS, censor },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

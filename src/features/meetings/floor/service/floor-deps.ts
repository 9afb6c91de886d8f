/**
 * What the floor's services need from the app: words, the committee's ear, the key that hashes
 * voters, and the time (a test's clock or the system's).
 */
import type { Translator } from '../../../../i18n/translator.js';
import type { StaffAlerts } from '../../../tickets/scheduling/staff-alerts.js';

export interface FloorDeps {
  translator: Translator;
  /** How the committee is told (a petition binding, an evaluation below 60 %). */
  staffAlerts: StaffAlerts;
  /** The key of the voters' keyed hashes (`ballot-key.ts`): never stored, never logged. */
  ballotKey: string;
  now: () => Date;
}

/**
 * What the housekeeping service needs: the ticket service's hands (a booking is a ticket of kind
 * `housekeeping`, filed, changed and withdrawn through them), its clock, and who is told that a
 * booking's reminders must follow it (the reminder jobs, after the commit).
 */
import type { Tx } from '../../../db/prisma-types.js';
import type { TicketServiceDeps } from '../../tickets/service/ticket-service-deps.js';

export interface BookingWatcher {
  /** Inside the change's transaction: booking `bookingId` was booked (`previousVersion` null), moved or cancelled. */
  bookingChanged(tx: Tx, bookingId: string, previousVersion: number | null): void;
}

export interface HousekeepingDeps {
  tickets: TicketServiceDeps;
  /** The time a change is made at (tests fix it). */
  now(): Date;
  /** Default: nobody (the command line; the reminder sweep mends it). */
  watcher?: BookingWatcher;
}

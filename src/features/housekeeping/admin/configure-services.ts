/**
 * Setting the housekeeping service up (admins; `linli housekeeping`): a service added or changed
 * (names, cut-off, on or off), and its places per date and time. Each goes through the policy
 * (`booking.configure`, a refusal audited) and leaves an audit row, in the caller's transaction.
 * Places are never set below what is booked already: such a slot keeps its booked number.
 */
import type { Prisma, Tx } from '../../../db/prisma-types.js';
import { recordAudit } from '../../audit/record-audit.js';
import type { Actor } from '../../policy/actor.js';
import { checkAudited } from '../../policy/audited-check.js';
import { DEFAULT_CUTOFF_MINUTES } from '../rules/change-cutoff.js';
import { slotInstants, type SlotWindow } from '../rules/slot-times.js';

/** Service codes: lower-case ASCII, as category codes. */
export const SERVICE_CODE = /^[a-z][a-z0-9_]{1,39}$/;
/** Most places one slot may have, and most slots one command sets. */
export const PLACES_MAX = 200;
export const SLOTS_PER_CHANGE_MAX = 2000;

export type ConfigureRefusal = { status: 'denied' } | { status: 'invalid'; problem: string } | { status: 'not_found' };

export interface ServiceChange {
  communityId: string;
  actor: Actor;
  code: string;
  /** Names in each locale, for a service the locales do not name. */
  names?: Record<string, string>;
  cutoffMinutes?: number;
  active?: boolean;
  position?: number;
  now: Date;
}

/** Adds the service, or changes what is given of it. */
export async function setService(tx: Tx, change: ServiceChange): Promise<{ status: 'created' | 'updated'; id: string } | ConfigureRefusal> {
  const decision = await checkAudited(tx, {
    communityId: change.communityId,
    actor: change.actor,
    action: 'booking.configure',
    subject: { communityId: change.communityId },
    target: { type: 'community', id: change.communityId },
    now: change.now,
  });
  if (!decision.allowed) return { status: 'denied' };
  if (!SERVICE_CODE.test(change.code)) return { status: 'invalid', problem: 'code' };
  if (change.cutoffMinutes !== undefined && (!Number.isInteger(change.cutoffMinutes) || change.cutoffMinutes < 0 || change.cutoffMinutes > 14 * 24 * 60)) {
    return { status: 'invalid', problem: 'cutoff' };
  }
  const existing = await tx.housekeepingService.findUnique({ where: { communityId_code: { communityId: change.communityId, code: change.code } }, select: { id: true } });
  const fields = {
    ...(change.names ? { names: change.names as Prisma.InputJsonObject } : {}),
    ...(change.cutoffMinutes !== undefined ? { cutoffMinutes: change.cutoffMinutes } : {}),
    ...(change.active !== undefined ? { active: change.active } : {}),
    ...(change.position !== undefined ? { position: change.position } : {}),
  };
  const service = existing
    ? await tx.housekeepingService.update({ where: { id: existing.id }, data: fields, select: { id: true } })
    : await tx.housekeepingService.create({
        data: { communityId: change.communityId, code: change.code, cutoffMinutes: DEFAULT_CUTOFF_MINUTES, ...fields },
        select: { id: true },
      });
  await recordAudit(tx, {
    communityId: change.communityId,
    actor: change.actor,
    action: 'booking.configure',
    subjectType: 'housekeeping_service',
    subjectId: service.id,
    details: { change: existing ? 'updated' : 'created', cutoffMinutes: change.cutoffMinutes ?? null, active: change.active ?? null },
  });
  return { status: existing ? 'updated' : 'created', id: service.id };
}

export interface PlacesChange {
  communityId: string;
  actor: Actor;
  code: string;
  /** Local dates `YYYY-MM-DD`. */
  dates: readonly string[];
  windows: readonly SlotWindow[];
  places: number;
  timezone: string;
  now: Date;
}

/** Sets the places of every date × window; returns how many slots were made, changed, and kept at their booked number. */
export async function setPlaces(tx: Tx, change: PlacesChange): Promise<{ status: 'set'; created: number; updated: number; keptAtBooked: number } | ConfigureRefusal> {
  const decision = await checkAudited(tx, {
    communityId: change.communityId,
    actor: change.actor,
    action: 'booking.configure',
    subject: { communityId: change.communityId },
    target: { type: 'community', id: change.communityId },
    now: change.now,
  });
  if (!decision.allowed) return { status: 'denied' };
  if (!Number.isInteger(change.places) || change.places < 0 || change.places > PLACES_MAX) return { status: 'invalid', problem: 'places' };
  if (change.dates.length === 0 || change.windows.length === 0) return { status: 'invalid', problem: 'dates' };
  if (change.dates.length * change.windows.length > SLOTS_PER_CHANGE_MAX) return { status: 'invalid', problem: 'too_many' };
  const service = await tx.housekeepingService.findUnique({ where: { communityId_code: { communityId: change.communityId, code: change.code } }, select: { id: true } });
  if (!service) return { status: 'not_found' };

  let created = 0;
  let updated = 0;
  let keptAtBooked = 0;
  for (const date of change.dates) {
    for (const window of change.windows) {
      const { startsAt, endsAt } = slotInstants(date, window, change.timezone);
      const key = { serviceId_date_startTime: { serviceId: service.id, date, startTime: window.startTime } };
      const existing = await tx.housekeepingSlot.findUnique({ where: key, select: { id: true, booked: true } });
      if (!existing) {
        await tx.housekeepingSlot.create({
          data: { communityId: change.communityId, serviceId: service.id, date, startTime: window.startTime, endTime: window.endTime, startsAt, endsAt, places: change.places },
        });
        created += 1;
        continue;
      }
      // Never below what households have booked: the bookings stand.
      const places = Math.max(change.places, existing.booked);
      if (places > change.places) keptAtBooked += 1;
      await tx.housekeepingSlot.update({ where: { id: existing.id }, data: { places, endTime: window.endTime, startsAt, endsAt } });
      updated += 1;
    }
  }
  await recordAudit(tx, {
    communityId: change.communityId,
    actor: change.actor,
    action: 'booking.configure',
    subjectType: 'housekeeping_service',
    subjectId: service.id,
    details: { places: change.places, created, updated, keptAtBooked },
  });
  return { status: 'set', created, updated, keptAtBooked };
}

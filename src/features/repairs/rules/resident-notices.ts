/**
 * Which changes of a job the resident is told of, and with which words (locale keys under
 * `repairs.notice.*`). Declines and timeouts are the team's business; the resident hears that
 * someone is being asked (once, at the first offer), who took it and when, that they are on the
 * way, what was done — and when it is cancelled, given back, passed on or left to staff.
 */
import type { WorkOrderChange } from '../work-order-events.js';

export type ResidentNotice = 'offered' | 'accepted' | 'on_the_way' | 'done' | 'unassigned' | 'cancelled' | 'released' | 'reassigned';

const NOTICE_OF: Readonly<Partial<Record<WorkOrderChange['kind'], ResidentNotice>>> = {
  offer: 'offered',
  accept: 'accepted',
  // Staff (or a member they name) took it in hand: to the resident, someone has taken it.
  take_over: 'accepted',
  on_the_way: 'on_the_way',
  done: 'done',
  nobody: 'unassigned',
  cancel: 'cancelled',
  release: 'released',
  reassign: 'reassigned',
};

/** The notice for a change, or null when the resident is not told (their own answers are answered in their chat). */
export function residentNoticeFor(kind: WorkOrderChange['kind']): ResidentNotice | null {
  return NOTICE_OF[kind] ?? null;
}

/**
 * True when an offer change is the job's first offer, so the resident hears "we are asking a
 * worker" once and not after every decline: the member named is the earliest offer's, or — a
 * change naming nobody (an emergency offered to all at once) — every offer was made at the same
 * moment.
 */
export function isFirstOffer(offers: readonly { memberId: string; offeredAt: Date }[], memberId: string | undefined): boolean {
  const sorted = [...offers].sort((a, b) => a.offeredAt.getTime() - b.offeredAt.getTime());
  const first = sorted[0];
  if (!first) return false;
  const firstAt = first.offeredAt.getTime();
  if (memberId === undefined) return sorted.every((o) => o.offeredAt.getTime() === firstAt);
  return sorted.some((o) => o.memberId === memberId && o.offeredAt.getTime() === firstAt);
}

export interface Material {
  name: string;
  quantity: number;
  costCents: number;
}

/** The member's materials as stored (`WorkOrder.materials`), read defensively. */
export function readMaterials(stored: unknown): Material[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((item: unknown) => {
    if (item === null || typeof item !== 'object') return [];
    const { name, quantity, costCents } = item as Record<string, unknown>;
    if (typeof name !== 'string' || name.trim() === '') return [];
    return [{ name: name.trim(), quantity: typeof quantity === 'number' && quantity > 0 ? quantity : 1, costCents: typeof costCents === 'number' && costCents > 0 ? Math.round(costCents) : 0 }];
  });
}

/** The family name a worker is called by (王师傅): the name's first character. */
export function workerSurname(name: string): string {
  return [...name.trim()][0] ?? '';
}

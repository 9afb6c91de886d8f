/**
 * Which changes of a job the resident is told of, and with which words (locale keys under
 * `repairs.notice.*`). Declines and timeouts are the team's business; the resident hears that
 * someone is being asked (once, at the first offer), who took it and when, that they are on the
 * way, what was done — and when it is cancelled, given back, passed on or left to staff. "Asked"
 * is told once per job (the work order's `offerToldAt`), not after every decline.
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

/**
 * Priority households (docs/domain.md rule 7: elderly, disabled, ill, low income): their repairs
 * are dispatched first and cost them nothing or little, as the community's fee rule says.
 */
import type { PriorityFeeRule, RepairSettings } from './repair-settings.js';

/** True when one of the household's flags is one the community lists as priority. */
export function isPriorityRepair(householdFlags: readonly string[], settings: Pick<RepairSettings, 'priorityFlags'>): boolean {
  return householdFlags.some((flag) => (settings.priorityFlags as readonly string[]).includes(flag));
}

/** What the household pays, in fen, for labour and materials as the member recorded them. */
export function householdFee(costs: { labourCents: number; materialsCents: number }, priority: boolean, rule: PriorityFeeRule): number {
  const labour = Math.max(0, Math.round(costs.labourCents));
  const materials = Math.max(0, Math.round(costs.materialsCents));
  if (!priority) return labour + materials;
  switch (rule) {
    case 'free':
      return 0;
    case 'materials_only':
      return materials;
    case 'half':
      // Rounded down: a half fen is the household's.
      return Math.floor((labour + materials) / 2);
  }
}

/**
 * What the household is told it pays once the work is done: the fee the member recorded (else the
 * materials' cost), and for a priority household never more than the community's rule allows —
 * whatever the member wrote, the part above the materials counts as labour.
 */
export function feeToTell(recordedCents: number | null, materialsCents: number, priority: boolean, rule: PriorityFeeRule): number {
  const materials = Math.max(0, Math.round(materialsCents));
  const total = recordedCents === null ? materials : Math.max(0, Math.round(recordedCents));
  if (!priority) return total;
  return householdFee({ labourCents: Math.max(0, total - materials), materialsCents: Math.min(total, materials) }, true, rule);
}

/**
 * The danger check that comes before anything else in a repair request: gas smell, sparking or a
 * risk of collapse make the request an emergency (the resident is told the emergency numbers at
 * once; the job is offered to every eligible member at the same time). Each danger implies what
 * kind of job it is, so the resident is not asked again.
 */
import { DANGERS, type Danger, type RepairKind } from './repair-kinds.js';
import type { EmergencyLine } from './repair-settings.js';

const KIND_OF_DANGER: Readonly<Record<Danger, RepairKind>> = {
  // The gas company shuts it off; the team makes the home safe: anyone of them may go.
  gas: 'other',
  sparking: 'power',
  collapse: 'roof',
};

export function isDanger(value: string): value is Danger {
  return (DANGERS as readonly string[]).includes(value);
}

/** The job a danger is. */
export function kindOfDanger(danger: Danger): RepairKind {
  return KIND_OF_DANGER[danger];
}

/**
 * The emergency lines to name first for a danger (the others follow): gas — the gas company, then
 * fire; sparking — the power company, then fire; collapse — fire (rescue) and ambulance.
 */
export const LINES_FIRST: Readonly<Record<Danger, readonly EmergencyLine[]>> = {
  gas: ['gas', 'fire'],
  sparking: ['power', 'fire'],
  collapse: ['fire', 'medical'],
};

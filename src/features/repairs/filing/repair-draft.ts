/**
 * What the repair flow collected, read defensively (the values come from the run's data): the
 * danger, the job, the words, the place (home, or another place typed or pinned), the photos and
 * the home window picked (its choice value, or `any`), and the household's code when it is filed
 * on someone's behalf.
 */
import type { Json } from '../../../conversation/engine-types.js';
import { isDanger } from '../rules/dangers.js';
import { isRepairKind, type Danger, type RepairKind } from '../rules/repair-kinds.js';

/** Photos one repair request takes in the conversation (as many as a complaint). */
export const PHOTOS_PER_REPAIR = 5;

export interface RepairDraft {
  danger: Danger | null;
  job: RepairKind;
  description: string;
  place: { text: string | null; latitude: number | null; longitude: number | null } | null;
  photos: string[];
  /** The home window's choice value; '' or `any`: someone is always home. */
  when: string;
  /** Filed on behalf of the household with this code; null: one's own. */
  householdCode: string | null;
}

/** The flow's argument names (module.ts declares them). */

export function readRepairDraft(args: Record<string, Json>): RepairDraft {
  const danger = text(args.danger);
  const kind = text(args.kind);
  return {
    danger: isDanger(danger) ? danger : null,
    job: isRepairKind(kind) ? kind : 'other',
    description: text(args.description).trim(),
    place: otherPlace(text(args.where), args.place),
    photos: photoList(args.photos).slice(0, PHOTOS_PER_REPAIR),
    when: text(args.when),
    householdCode: text(args.for) === 'household' && text(args.household).trim() !== '' ? text(args.household).trim() : null,
  };
}

/** "Another place" counts only when chosen (or when there is no home to default to). */
function otherPlace(where: string, place: Json | undefined): RepairDraft['place'] {
  if (where === 'home' || place === null || typeof place !== 'object' || Array.isArray(place)) return null;
  const typed = typeof place.address === 'string' ? place.address : typeof place.label === 'string' ? place.label : null;
  const latitude = typeof place.latitude === 'number' ? place.latitude : null;
  const longitude = typeof place.longitude === 'number' ? place.longitude : null;
  if (typed === null && (latitude === null || longitude === null)) return null;
  return { text: typed, latitude, longitude };
}

function photoList(value: Json | undefined): string[] {
  const list = value !== null && typeof value === 'object' && !Array.isArray(value) ? value.list : value;
  return Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

export function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/**
 * The repairs module, the resident's side of a repair (报修): the request flow's effects (filing a
 * ticket of kind `repair` with its work order: filing/), telling the resident each change of the
 * job and taking their answer — confirmed, rated, or "not fixed" (resident/). The service team's
 * side (offers, a member's day, staff reassigning) is the dispatch module's; the two hear of each
 * other only through `work_order.changed` (work-order-events.ts).
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import type { FeatureModule } from '../../modules/index.js';
import { ticketServiceOf } from '../tickets/module.js';
import { repairFilingEffects } from './filing/repair-filing-effects.js';

/** What the summary and the filing take: the repair flow's answers. */
const DRAFT_ARGS = {
  danger: EffectArg.text,
  kind: EffectArg.text,
  description: EffectArg.text,
  where: EffectArg.text,
  place: EffectArg.saved,
  photos: EffectArg.saved,
  when: EffectArg.text,
};

export const repairs: FeatureModule = {
  name: 'repairs',
  effects: {
    /** Starting a request: `{ status, hasHome: yes|no, windows: [{ value, label }] }` (home windows in the community's zone). */
    repairs_start: { args: {}, readOnly: true },
    /** The emergency numbers for a danger, those it needs first: `{ text }`. */
    repairs_emergency: { args: { danger: EffectArg.text }, readOnly: true },
    /** The request's summary in words: `{ text }`. */
    repairs_summary: { args: DRAFT_ARGS, readOnly: true },
    /** Files it: `{ status: filed | window_passed | denied | invalid, number?, expect?, emergency? }`. */
    repairs_file: { args: DRAFT_ARGS },
  },
  install(context) {
    const service = ticketServiceOf(context);
    return { effects: repairFilingEffects(service) };
  },
};

/**
 * How the parts of the repairs feature hear of each other without calling each other: every change
 * of a work order publishes `work_order.changed` on the event bus inside its transaction. The
 * filing side publishes `filed` (dispatch listens and makes the first offer); dispatch publishes
 * `offered`, `accepted`, `on_the_way`, `done`… (the resident side listens and tells the resident);
 * the resident's `confirmed` and `not_fixed` go back to dispatch. Ids only: listeners re-read with `tx`.
 */
import type { WorkOrderMove } from './rules/work-order-state.js';

export interface WorkOrderChange {
  communityId: string;
  workOrderId: string;
  ticketId: string;
  /** `filed`, or the move that was made (rules/work-order-state.ts); `declined` and `expired` for an offer answered no or timed out. */
  kind: 'filed' | 'declined' | 'expired' | WorkOrderMove;
  /** The member the change is about (offered to, accepted by, declined by…), when there is one. */
  memberId?: string;
  /** Who made it (a staff member's or member's resident id); absent for the clock. */
  actorId?: string;
}

declare module '../../events/app-events.js' {
  interface AppEvents {
    /** A repair job was filed or changed. */
    'work_order.changed': WorkOrderChange;
  }
}

/**
 * The identity feature's events (src/events/): how the staff side hears of binding requests and
 * of binding closed by the community-wide limit without the identity feature knowing any chat.
 * They are published inside the change's transaction, so what a listener (the staff inbox's posts)
 * writes to the outbox commits, or rolls back, with the change itself.
 */
import type { Actor } from '../policy/actor.js';
import type { BindingClosed } from './binding-closed.js';

/** What happened to a request. Ids only: a listener re-reads the row. */
export interface BindingRequestChange {
  communityId: string;
  requestId: string;
  number: number;
  kind: 'filed' | 'approved' | 'rejected';
  /** Who decided (approved, rejected). */
  decidedBy?: Actor;
}

declare module '../../events/app-events.js' {
  interface AppEvents {
    /** A binding request was filed, approved or rejected. */
    'binding_request.changed': BindingRequestChange;
    /** The community-wide limit on wrong codes closed binding (once per closing). */
    'binding.closed': BindingClosed;
  }
}

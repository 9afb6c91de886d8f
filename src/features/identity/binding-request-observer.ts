/**
 * How the staff side hears of binding requests without the identity feature knowing any chat (the
 * tickets' observer pattern): the composition root gives an observer — the staff inbox's posts,
 * src/inbox/binding-request-posts.ts — to the request flow's effect and to the decisions. It is
 * called inside the change's transaction, so what it writes to the outbox commits, or rolls back,
 * with the change itself. Use only `tx` in an implementation.
 */
import type { Tx } from '../../db/prisma-types.js';
import type { Actor } from '../policy/actor.js';
import type { BindingClosed, BindingClosedObserver } from './binding-closed.js';

/** What happened to a request. Ids only: an observer re-reads the row. */
export interface BindingRequestChange {
  communityId: string;
  requestId: string;
  number: number;
  kind: 'filed' | 'approved' | 'rejected';
  /** Who decided (approved, rejected). */
  decidedBy?: Actor;
}

export interface BindingRequestObserver {
  bindingRequestChanged(tx: Tx, change: BindingRequestChange): Promise<void>;
}

/**
 * The observers of one app — of binding requests, and of binding closed by the community-wide
 * limit (`binding-closed.ts`); later ones (the staff inbox, built after the flows) join with `add`.
 */
export class BindingRequestObserverList implements BindingRequestObserver, BindingClosedObserver {
  private readonly observers: (BindingRequestObserver | BindingClosedObserver)[] = [];

  add(observer: BindingRequestObserver | BindingClosedObserver): void {
    this.observers.push(observer);
  }

  async bindingRequestChanged(tx: Tx, change: BindingRequestChange): Promise<void> {
    // One after another: a transaction runs one statement at a time.
    for (const observer of this.observers) if ('bindingRequestChanged' in observer) await observer.bindingRequestChanged(tx, change);
  }

  async bindingClosed(tx: Tx, closed: BindingClosed): Promise<void> {
    for (const observer of this.observers) if ('bindingClosed' in observer) await observer.bindingClosed(tx, closed);
  }
}

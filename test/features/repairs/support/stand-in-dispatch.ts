/**
 * The service team's side as the resident's tests need it, until they drive the dispatch module
 * itself: moves a work order the way dispatch does — through the job states' rules
 * (`nextStatus`), an offer row per offer, the member's record when done — under the row's version,
 * and publishes `work_order.changed` in the same transaction, with the after-commit work (the
 * resident's notice) handed to the outbox when there is one.
 */
import type { EventPublisher } from '../../../../src/events/index.js';
import { finishCommitted, transactionWithAfterCommit } from '../../../../src/db/after-commit.js';
import type { Prisma, PrismaClient } from '../../../../src/db/prisma-types.js';
import type { OutboxDispatcher } from '../../../../src/outbox/outbox.js';
import { isWorkOrderStatus, nextStatus, type WorkOrderMove } from '../../../../src/features/repairs/rules/work-order-state.js';

const OFFER_MS = 10 * 60_000;

export interface ServiceRecord {
  workDone: string;
  materials?: { name: string; quantity: number; costCents: number }[];
  feeCents?: number | null;
  afterPhotos?: string[];
}

export class StandInDispatch {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventPublisher,
    private readonly now: () => Date,
    private readonly outbox?: Pick<OutboxDispatcher, 'dispatch'>,
  ) {}

  offer(workOrderId: string, memberId: string) {
    return this.move(workOrderId, 'offer', memberId);
  }
  decline(workOrderId: string, memberId: string) {
    return this.answer(workOrderId, memberId, 'declined');
  }
  /** The offer's time ran out (dispatch's timeout job). */
  expire(workOrderId: string, memberId: string) {
    return this.answer(workOrderId, memberId, 'expired');
  }
  accept(workOrderId: string, memberId: string) {
    return this.move(workOrderId, 'accept', memberId);
  }
  onTheWay(workOrderId: string, memberId: string) {
    return this.move(workOrderId, 'on_the_way', memberId);
  }
  done(workOrderId: string, memberId: string, record: ServiceRecord) {
    return this.move(workOrderId, 'done', memberId, record);
  }
  nobody(workOrderId: string) {
    return this.move(workOrderId, 'nobody');
  }

  /** A member says no to their open offer (the job stays offered; dispatch would offer the next). */
  private async answer(workOrderId: string, memberId: string, status: 'declined' | 'expired') {
    const committed = await transactionWithAfterCommit(this.prisma, async (tx) => {
      const order = await tx.workOrder.findUniqueOrThrow({ where: { id: workOrderId } });
      const answered = await tx.dispatchOffer.updateMany({ where: { workOrderId, memberId, status: 'open' }, data: { status, answeredAt: this.now() } });
      if (answered.count !== 1) throw new Error(`no open offer to ${memberId}`);
      await this.events.publish(tx, 'work_order.changed', { communityId: order.communityId, workOrderId, ticketId: order.ticketId, kind: status, memberId, actorId: memberId });
    });
    if (this.outbox) await finishCommitted(committed, this.outbox);
  }

  private async move(workOrderId: string, move: WorkOrderMove, memberId?: string, record?: ServiceRecord) {
    const at = this.now();
    const committed = await transactionWithAfterCommit(this.prisma, async (tx) => {
      const order = await tx.workOrder.findUniqueOrThrow({ where: { id: workOrderId } });
      const next = isWorkOrderStatus(order.status) ? nextStatus(order.status, move) : null;
      if (!next) throw new Error(`${move} does not apply to a job ${order.status}`);
      const data: Prisma.WorkOrderUncheckedUpdateManyInput = { status: next, version: { increment: 1 } };
      if (move === 'offer') await tx.dispatchOffer.create({ data: { workOrderId, memberId: memberId!, offeredAt: at, expiresAt: new Date(at.getTime() + OFFER_MS) } });
      if (move === 'accept') {
        const taken = await tx.dispatchOffer.updateMany({ where: { workOrderId, memberId: memberId!, status: 'open' }, data: { status: 'accepted', answeredAt: at } });
        if (taken.count !== 1) throw new Error(`no open offer to ${memberId}`);
        Object.assign(data, { memberId, acceptedAt: at });
      }
      if (move === 'on_the_way') data.onTheWayAt = at;
      if (move === 'done') {
        Object.assign(data, {
          doneAt: at,
          workDone: record!.workDone,
          materials: record!.materials ?? [],
          feeCents: record!.feeCents ?? null,
          afterPhotos: record!.afterPhotos ?? [],
        });
      }
      const moved = await tx.workOrder.updateMany({ where: { id: workOrderId, version: order.version }, data });
      if (moved.count !== 1) throw new Error('work order changed meanwhile');
      await this.events.publish(tx, 'work_order.changed', {
        communityId: order.communityId,
        workOrderId,
        ticketId: order.ticketId,
        kind: move,
        ...(memberId ? { memberId, actorId: memberId } : {}),
      });
    });
    if (this.outbox) await finishCommitted(committed, this.outbox);
  }
}

/**
 * The states of a repair job and the moves between them — java110/MicroCommunity's repair states
 * (待处理 → 接单/退单/转单 → 待评价 → 待回访 → 完成), in chat:
 *
 *   received ──offer──▶ offered ──accept──▶ accepted ──on_the_way──▶ on_the_way ──done──▶ done
 *      │                  │  ▲ decline / timeout: the next member        │                  │
 *      │                  │  └──────────────┘                            │                  ├─confirm─▶ confirmed
 *      └──nobody──▶ unassigned ◀──nobody── (no one left) ◀──release──────┘                  └─not_fixed─▶ accepted
 *                                                                                             (same member)
 *   Any open state ──cancel──▶ cancelled. Staff may reassign (back to offered) or take over
 *   (accepted, by staff) from any open state.
 *
 * Pure: the service reads the row, asks `nextStatus`, and writes under the row's version.
 */

export const WORK_ORDER_STATUSES = ['received', 'offered', 'accepted', 'on_the_way', 'done', 'confirmed', 'cancelled', 'unassigned'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const WORK_ORDER_MOVES = [
  'offer',
  'nobody',
  'accept',
  'release',
  'on_the_way',
  'done',
  'confirm',
  'not_fixed',
  'cancel',
  'reassign',
  'take_over',
] as const;
export type WorkOrderMove = (typeof WORK_ORDER_MOVES)[number];

const OPEN: readonly WorkOrderStatus[] = ['received', 'offered', 'accepted', 'on_the_way', 'unassigned'];

const MOVES: Readonly<Record<WorkOrderMove, Readonly<Partial<Record<WorkOrderStatus, WorkOrderStatus>>>>> = {
  // An offer goes out (first, or the next member after a decline or a timeout).
  offer: { received: 'offered', offered: 'offered', unassigned: 'offered' },
  // No eligible member left: the area steward and the staff inbox take it up.
  nobody: { received: 'unassigned', offered: 'unassigned' },
  accept: { offered: 'accepted' },
  // The member gives it back before starting (a 退单 after accepting): it is offered again.
  release: { accepted: 'offered', on_the_way: 'offered' },
  on_the_way: { accepted: 'on_the_way' },
  done: { accepted: 'done', on_the_way: 'done' },
  confirm: { done: 'confirmed' },
  // "Not fixed": back to the member who did it, with the resident's words.
  not_fixed: { done: 'accepted' },
  cancel: { received: 'cancelled', offered: 'cancelled', accepted: 'cancelled', on_the_way: 'cancelled', unassigned: 'cancelled' },
  // Staff send it to someone else (转单): offered again, or straight to a named member.
  reassign: { received: 'offered', offered: 'offered', accepted: 'offered', on_the_way: 'offered', unassigned: 'offered' },
  // Staff do it themselves or name the member who does: held at once.
  take_over: { received: 'accepted', offered: 'accepted', accepted: 'accepted', on_the_way: 'accepted', unassigned: 'accepted' },
};

/** The status after a move, or null when the move does not apply in that status. */
export function nextStatus(status: WorkOrderStatus, move: WorkOrderMove): WorkOrderStatus | null {
  return MOVES[move][status] ?? null;
}

/** Still to be done: someone may be offered, hold or work on it. */
export function isOpen(status: WorkOrderStatus): boolean {
  return OPEN.includes(status);
}

export function isWorkOrderStatus(value: string): value is WorkOrderStatus {
  return (WORK_ORDER_STATUSES as readonly string[]).includes(value);
}

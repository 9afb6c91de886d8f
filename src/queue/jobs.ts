/**
 * Typed job payloads. A job carries ids only: the worker re-reads the database and claims its work
 * idempotently, so a repeated or stale job does no harm and no personal data sits in the queue.
 */
import { z } from 'zod';
import type { QueueName } from './names.js';

const id = z.string().min(1).max(64);

/**
 * One strict schema per queue (strict: a stray field such as message text is rejected). The
 * `satisfies` makes the compiler ask for a schema whenever a name is added to `QueueNames`.
 */
export const jobPayloadSchemas = {
  deliveries: z.strictObject({ outboxId: id }),
  'deliveries-telegram': z.strictObject({ outboxId: id }),
  'deliveries-wechat': z.strictObject({ outboxId: id }),
  'conversation-timeouts': z.strictObject({
    conversationId: id,
    /** The conversation's `version` when the timer was set: a newer version means the person replied. */
    version: z.number().int().nonnegative(),
    /** 1 = send the idle reminder, 2 = close the conversation. */
    stage: z.union([z.literal(1), z.literal(2)]),
  }),
  'ticket-deadlines': z.strictObject({
    ticketId: id,
    /** The ticket's `version` when the job was set: a newer version has jobs of its own. */
    version: z.number().int().nonnegative(),
    /** Which deadline the job waits for (`major`: marked major, due at once). */
    step: z.enum(['first_response', 'committee', 'resolution', 'major']),
  }),
  'ticket-digests': z.strictObject({
    communityId: id,
    kind: z.enum(['daily', 'weekly']),
  }),
  'housekeeping-reminders': z.strictObject({
    bookingId: id,
    /** The booking's `version` when the job was set: a move or cancellation makes it stale. */
    version: z.number().int().nonnegative(),
    kind: z.enum(['day_before', 'hour_before']),
  }),
  'fund-disclosures': z.strictObject({ fundId: id }),
  'repair-confirmations': z.strictObject({
    workOrderId: id,
    /** The work order's `returns` when it was done: each "not fixed" starts a round of its own. */
    round: z.number().int().nonnegative(),
  }),
  /** One offer of a repair job to one member: when it runs out, unless answered first. */
  'dispatch-offers': z.strictObject({ offerId: id }),
  /** One stage of an alert's roll-call: the group heads (T1) or the area stewards (T2). */
  'notice-roll-calls': z.strictObject({ noticeId: id, stage: z.enum(['heads', 'stewards']) }),
  /** Every invitee due the reminder at `offset` minutes before the meeting, in one transaction. */
  'meeting-reminders': z.strictObject({
    meetingId: id,
    /** The meeting's `version` when the job was set: a move or cancellation makes it stale. */
    version: z.number().int().nonnegative(),
    offset: z.number().int().positive().max(20_160),
  }),
  /** A held or scheduled notice at its time (`Notice.sendAt` in ms: a notice moved since has a job of its own). */
  'notice-sends': z.strictObject({ noticeId: id, sendAt: z.number().int().nonnegative() }),
  /** One look at a notice's progress; the next tick is a job of its own. */
  'notice-progress': z.strictObject({ noticeId: id, tick: z.number().int().nonnegative() }),
} satisfies Record<QueueName, z.ZodType>;

/** The payload type of every queue, by queue name. */
export type JobPayloads = { [N in QueueName]: z.infer<(typeof jobPayloadSchemas)[N]> };

/** The payload of one queue's jobs. */
export type JobPayload<N extends QueueName> = JobPayloads[N];

/**
 * Validates a payload read back from a queue. Throws a `ZodError` naming the bad field.
 *
 * @example
 * const { outboxId } = parseJobPayload('deliveries', job.data);
 */
export function parseJobPayload<N extends QueueName>(queue: N, data: unknown): JobPayload<N> {
  return jobPayloadSchemas[queue].parse(data) as JobPayload<N>;
}

/**
 * The job id each payload gets, so adding the same work twice yields one job (BullMQ ignores an
 * add whose id exists). Ids must not be plain integers nor contain ':' (BullMQ rejects both).
 */
export const jobIds: { [N in QueueName]: (payload: JobPayload<N>) => string } = {
  deliveries: ({ outboxId }) => `outbox-${outboxId}`,
  'deliveries-telegram': ({ outboxId }) => `outbox-${outboxId}`,
  'deliveries-wechat': ({ outboxId }) => `outbox-${outboxId}`,
  'conversation-timeouts': ({ conversationId, version, stage }) => `timeout-${conversationId}-v${version}-s${stage}`,
  'ticket-deadlines': ({ ticketId, version, step }) => `deadline-${ticketId}-v${version}-${step}`,
  'ticket-digests': ({ communityId, kind }) => `digest-${communityId}-${kind}`,
  'housekeeping-reminders': ({ bookingId, version, kind }) => `reminder-${bookingId}-v${version}-${kind}`,
  'fund-disclosures': ({ fundId }) => `fund-disclosure-${fundId}`,
  'repair-confirmations': ({ workOrderId, round }) => `repair-confirm-${workOrderId}-r${round}`,
  'dispatch-offers': ({ offerId }) => `offer-${offerId}`,
  'notice-roll-calls': ({ noticeId, stage }) => `roll-call-${noticeId}-${stage}`,
  'meeting-reminders': ({ meetingId, version, offset }) => `meeting-reminder-${meetingId}-v${version}-o${offset}`,
  'notice-sends': ({ noticeId, sendAt }) => `notice-${noticeId}-t${sendAt}`,
  'notice-progress': ({ noticeId, tick }) => `notice-progress-${noticeId}-${tick}`,
};

/**
 * What of a meeting its messages and calendar entries are written from (the invitation, a change
 * or cancellation notice, a reminder, an .ics event): one selection, so each of them reads the
 * same fields and a field added to what they show is added once.
 */
export const MEETING_MESSAGE_FIELDS = {
  id: true,
  communityId: true,
  number: true,
  type: true,
  title: true,
  place: true,
  startsAt: true,
  endsAt: true,
  agenda: true,
  status: true,
  version: true,
  cancelReason: true,
} as const;

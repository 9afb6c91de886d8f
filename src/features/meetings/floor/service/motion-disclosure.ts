/**
 * A closed motion's result, published as a disclosure notice and linked from the motion: title,
 * the present, yes / no / abstain and the result; on an open ballot who voted what, on a secret
 * one no name at all (the votes keep none).
 */
import type { Tx } from '../../../../db/prisma-types.js';
import type { EventPublisher } from '../../../../events/index.js';
import type { QueuedOutboxRow } from '../../../../outbox/outbox.js';
import type { FloorDeps } from './floor-deps.js';
import type { FloorMeeting } from './meeting-lookup.js';
import { publishDisclosure } from './publish-disclosure.js';

export async function publishMotionResult(tx: Tx, deps: FloorDeps, events: EventPublisher, meeting: FloorMeeting, motionId: string): Promise<QueuedOutboxRow[]> {
  const motion = await tx.motion.findUniqueOrThrow({ where: { id: motionId } });
  const votes =
    motion.ballot === 'open'
      ? await tx.vote.findMany({ where: { motionId }, orderBy: { castAt: 'asc' }, select: { choice: true, residentId: true } })
      : [];
  const people = await tx.resident.findMany({ where: { id: { in: votes.map((v) => v.residentId).filter((id) => id !== null) } }, select: { id: true, name: true } });
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const namesOf = (choice: string) =>
    votes
      .filter((v) => v.choice === choice)
      .map((v) => (v.residentId ? (nameOf.get(v.residentId) ?? '') : ''))
      .filter(Boolean);
  const t = (locale: string, key: string, vars = {}) => deps.translator.t(locale, key, vars);
  const { noticeId, rows } = await publishDisclosure(
    tx,
    events,
    {
      communityId: meeting.communityId,
      title: (l) => t(l, 'meetings.vote.disclosure_title', { number: meeting.number, position: motion.position, title: motion.title }),
      body: (l) => {
        const lines = [
          t(l, 'meetings.vote.disclosure_body', {
            meeting: meeting.title,
            present: motion.presentAtClose ?? 0,
            yes: motion.yes ?? 0,
            no: motion.no ?? 0,
            abstain: motion.abstain ?? 0,
            result: t(l, motion.result === 'passed' ? 'meetings.vote.result_passed' : 'meetings.vote.result_failed'),
          }),
        ];
        if (motion.ballot === 'secret') lines.push(t(l, 'meetings.vote.disclosure_secret'));
        else {
          const list = (choice: string, key: string) => {
            const names = namesOf(choice);
            if (names.length > 0) lines.push(t(l, key, { names: names.join(t(l, 'meetings.vote.name_separator')) }));
          };
          list('yes', 'meetings.vote.names_yes');
          list('no', 'meetings.vote.names_no');
          list('abstain', 'meetings.vote.names_abstain');
        }
        return lines.join('\n');
      },
    },
    deps.now(),
    deps.translator.locales,
  );
  await tx.motion.update({ where: { id: motionId }, data: { noticeId } });
  return rows;
}

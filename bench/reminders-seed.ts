/**
 * The meetings of `npm run bench:reminders`, called by the meetings service (`callMeeting`, as
 * the operator, each in a transaction whose after-commit work sets its reminder jobs) in the
 * demo community, so that a chosen number of reminders fall due at one moment: as many meetings
 * of everyone as fit (居民会议), then one of enough ten-household groups, in code order, for the
 * rest (楼栋会议). Every meeting starts two hours after that moment and keeps the default offsets
 * (24 h and 2 h): its day-before reminder has passed, its two-hour one is the one due.
 */
import { finishCommitted, transactionWithAfterCommit } from '../src/db/after-commit.js';
import type { PrismaClient } from '../src/db/prisma-types.js';
import type { MeetingAudience } from '../src/features/meetings/rules/audience.js';
import type { MeetingsDeps } from '../src/features/meetings/schedule/meetings-deps.js';
import { callMeeting } from '../src/features/meetings/schedule/call-meeting.js';
import type { QueuedOutboxRow } from '../src/outbox/outbox.js';

/** The offset (minutes before the start) whose reminders the bench measures: the default 2 h. */
export const REMINDER_OFFSET = 120;

export interface ReminderMeetingPlan {
  /** Reminders wanted at `dueAtMs` (one per invited resident; each resident has one bound account). */
  reminders: number;
  /** When they fall due (epoch ms). */
  dueAtMs: number;
}

export interface CalledMeeting {
  number: string;
  invited: number;
  /** Who it invites, for the bench's output. */
  audience: string;
}

/** Audiences that invite about `wanted` residents of households: everyone as often as fits, then whole groups. */
async function audiencesFor(prisma: PrismaClient, communityId: string, wanted: number): Promise<{ audience: MeetingAudience; described: string }[]> {
  const groups = await prisma.householdGroup.findMany({
    where: { communityId },
    orderBy: { code: 'asc' },
    select: { id: true, households: { select: { _count: { select: { residents: true } } } } },
  });
  const sizes = groups.map((group) => ({ id: group.id, residents: group.households.reduce((sum, h) => sum + h._count.residents, 0) }));
  const everyone = sizes.reduce((sum, g) => sum + g.residents, 0);
  if (everyone === 0) throw new Error('the community has no residents in households');
  const audiences: { audience: MeetingAudience; described: string }[] = [];
  let left = wanted;
  while (left >= everyone) {
    audiences.push({ audience: { everyone: true }, described: 'everyone' });
    left -= everyone;
  }
  if (left > 0) {
    const groupIds: string[] = [];
    for (const group of sizes) {
      if (left <= 0) break;
      groupIds.push(group.id);
      left -= group.residents;
    }
    audiences.push({ audience: { groupIds }, described: `${groupIds.length} ten-household groups` });
  }
  return audiences;
}

/**
 * Calls the meetings (see the file's comment). `dispatch` hands each call's committed messages to
 * the outbox (there are none while nobody's chat is bound).
 */
export async function callReminderMeetings(
  deps: MeetingsDeps,
  communityId: string,
  plan: ReminderMeetingPlan,
  outbox: { dispatch(rows: readonly QueuedOutboxRow[]): Promise<void> },
): Promise<CalledMeeting[]> {
  const startsAt = new Date(plan.dueAtMs + REMINDER_OFFSET * 60_000);
  const called: CalledMeeting[] = [];
  const audiences = await audiencesFor(deps.prisma, communityId, plan.reminders);
  for (const [index, { audience, described }] of audiences.entries()) {
    const everyone = audience.everyone === true;
    const committed = await transactionWithAfterCommit(
      deps.prisma,
      (tx) =>
        callMeeting(tx, deps, {
          communityId,
          actor: { kind: 'operator' },
          type: 'residents',
          title: everyone ? `居民会议（第${index + 1}场）：春季环境整治` : '楼栋会议：加装电梯意见征集',
          startsAt,
          durationMinutes: 90,
          place: everyone ? '社区广场' : '3号楼活动室',
          audience,
          agenda: everyone ? ['春季环境整治分工', '垃圾分类新规'] : ['加装电梯方案介绍', '费用分摊意见'],
        }),
      { timeout: 120_000, maxWait: 10_000 },
    );
    await finishCommitted(committed, outbox);
    const result = committed.value;
    if (result.status !== 'called') throw new Error(`the meetings service did not call the meeting: ${result.status}`);
    called.push({ number: result.number, invited: result.invited, audience: described });
  }
  return called;
}

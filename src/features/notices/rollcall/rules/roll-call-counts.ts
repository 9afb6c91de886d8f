/**
 * The roll-call's live counts, pure: from the households a notice addresses and the answers
 * recorded, how many answered "safe" (收到 / 平安, or a plain notice's 收到), asked for help, were
 * reached by phone, and have not answered yet — in all, by area and by household group (a
 * household in no group is counted under `null`). An answer from a household no longer addressed
 * (moved out of the audience's areas since) is not counted: the counts add up to the households.
 */

export interface AddressedHousehold {
  id: string;
  areaId: string;
  groupId: string | null;
}

export interface RecordedAnswer {
  householdId: string;
  /** ok | help | reached | confirmed */
  answer: string;
}

export interface Counts {
  households: number;
  ok: number;
  help: number;
  reached: number;
  notYet: number;
}

export interface RollCallCounts {
  total: Counts;
  byArea: ReadonlyMap<string, Counts>;
  byGroup: ReadonlyMap<string | null, Counts>;
}

const empty = (): Counts => ({ households: 0, ok: 0, help: 0, reached: 0, notYet: 0 });

/** Which count an answer goes to (`confirmed` is a plain notice's "safe"). */
function bucketOf(answer: string | undefined): Exclude<keyof Counts, 'households'> {
  if (answer === 'help') return 'help';
  if (answer === 'reached') return 'reached';
  if (answer === 'ok' || answer === 'confirmed') return 'ok';
  return 'notYet';
}

export function rollCallCounts(households: readonly AddressedHousehold[], answers: readonly RecordedAnswer[]): RollCallCounts {
  const answerOf = new Map(answers.map((a) => [a.householdId, a.answer]));
  const total = empty();
  const byArea = new Map<string, Counts>();
  const byGroup = new Map<string | null, Counts>();
  for (const household of households) {
    const bucket = bucketOf(answerOf.get(household.id));
    const area = byArea.get(household.areaId) ?? empty();
    const group = byGroup.get(household.groupId) ?? empty();
    for (const counts of [total, area, group]) {
      counts.households += 1;
      counts[bucket] += 1;
    }
    byArea.set(household.areaId, area);
    byGroup.set(household.groupId, group);
  }
  return { total, byArea, byGroup };
}

/**
 * The households an alert addresses that have not answered yet, with what a head or steward
 * needs to call them: the address, the area, the group and its head, the members' names and
 * phones (masked by whoever shows them), in roster order.
 */
import type { Tx } from '../../../db/prisma-types.js';
import { addressedHouseholdsWhere } from '../answers/addressed-households.js';

export interface UnansweredHousehold {
  id: string;
  address: string;
  areaId: string;
  areaPath: string;
  groupId: string | null;
  groupCode: string | null;
  headId: string | null;
  members: { name: string; phone: string | null }[];
}

export async function unansweredHouseholds(tx: Tx, communityId: string, notice: { id: string; audience: unknown }, now: Date): Promise<UnansweredHousehold[]> {
  const addressed = await addressedHouseholdsWhere(tx, communityId, notice.audience, now);
  const rows = await tx.household.findMany({
    where: { AND: [addressed, { noticeAnswers: { none: { noticeId: notice.id } } }] },
    orderBy: [{ code: 'asc' }],
    select: {
      id: true,
      address: true,
      areaId: true,
      area: { select: { path: true } },
      groupId: true,
      group: { select: { code: true, headId: true } },
      residents: { orderBy: [{ position: 'asc' }, { id: 'asc' }], select: { name: true, phone: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    address: row.address,
    areaId: row.areaId,
    areaPath: row.area.path,
    groupId: row.groupId,
    groupCode: row.group?.code ?? null,
    headId: row.group?.headId ?? null,
    members: row.residents,
  }));
}

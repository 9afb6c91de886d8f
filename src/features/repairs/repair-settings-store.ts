/** A community's repair settings as stored (Community.repairSettings), parsed with the rules' schema. */
import type { Tx } from '../../db/prisma-types.js';
import { parseRepairSettings, type RepairSettings } from './rules/repair-settings.js';

/** Throws when the community does not exist or its settings are invalid (an operator's mistake to see at once). */
export async function loadRepairSettings(db: Tx, communityId: string): Promise<RepairSettings> {
  const community = await db.community.findUniqueOrThrow({ where: { id: communityId }, select: { repairSettings: true } });
  return parseRepairSettings(community.repairSettings);
}

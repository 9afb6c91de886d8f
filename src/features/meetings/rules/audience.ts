/**
 * Who a meeting invites, in the shape of a notice's audience (Notice.audience): everyone, or any
 * of roles, areas (with everything under them) and ten-household groups. Pure reading of the stored JSON.
 */

export interface MeetingAudience {
  everyone?: boolean;
  roles?: string[];
  areaIds?: string[];
  groupIds?: string[];
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;

/** The audience in stored JSON, or an empty one (nobody) when it is not of this shape. */
export function readAudience(json: unknown): MeetingAudience {
  if (typeof json !== 'object' || json === null) return {};
  const record = json as Record<string, unknown>;
  const audience: MeetingAudience = {};
  if (record.everyone === true) audience.everyone = true;
  const roles = strings(record.roles);
  const areaIds = strings(record.areaIds);
  const groupIds = strings(record.groupIds);
  if (roles) audience.roles = roles;
  if (areaIds) audience.areaIds = areaIds;
  if (groupIds) audience.groupIds = groupIds;
  return audience;
}

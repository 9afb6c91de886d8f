/**
 * Roster export: the community's households and their members as a roster file, in the columns
 * the import reads, households by code and members in their household's order — so an exported
 * file imports as "all unchanged", and export → import → export gives the same file.
 *
 * Staff who live elsewhere (no household) are no roster rows and are left out; so is a
 * household without members, which no roster row could describe.
 */
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { recordAudit } from '../../audit/record-audit.js';
import { assertCan } from '../../policy/policy.js';
import type { RosterAudit } from './roster-import.js';
import { rosterTranslator } from './roster-locales.js';
import type { RosterProgressListener } from './roster-progress.js';
import { rosterWording, type RosterWording } from './roster-vocabulary.js';
import { writeRosterFile, type RosterCells } from './roster-write.js';

export interface ExportRosterOptions {
  prisma: PrismaClient;
  communityId: string;
  /** A .xlsx or .csv file; throws RosterFileTypeError for another extension. */
  file: string;
  /** The language of the header and of flag, yes and language words. */
  locale: string;
  translator?: Translator;
  onProgress?: RosterProgressListener;
  /** When given, checked by the policy (`household.export`) before anything is read, and the export recorded in the audit log. */
  audit?: RosterAudit;
}

export interface RosterExportResult {
  households: number;
  residents: number;
}

export interface ExportHousehold {
  code: string;
  address: string;
  flags: string[];
  areaPath: string;
  group: { code: string; headId: string | null } | null;
}

export interface ExportResident {
  id: string;
  householdId: string;
  name: string;
  phone: string | null;
  birthYear: number | null;
  locale: string | null;
  position: number;
}

/** Writes the community's roster to `file`. */
export async function exportRoster(options: ExportRosterOptions): Promise<RosterExportResult> {
  const { prisma, communityId, onProgress } = options;
  const wording = rosterWording(rosterTranslator(options.translator), options.locale);
  if (options.audit) assertCan(options.audit.actor, 'household.export', { communityId });
  onProgress?.({ phase: 'load', done: 0, total: 1 });
  const households = await prisma.household.findMany({
    where: { communityId },
    select: { id: true, code: true, address: true, flags: true, area: { select: { path: true } }, group: { select: { code: true, headId: true } } },
  });
  const members = await prisma.resident.findMany({
    where: { communityId, householdId: { not: null } },
    select: { id: true, householdId: true, name: true, phone: true, birthYear: true, locale: true, position: true },
  });
  onProgress?.({ phase: 'load', done: 1, total: 1 });

  const byHousehold = new Map<string, ExportResident[]>();
  for (const member of members) {
    if (member.householdId === null) continue;
    const list = byHousehold.get(member.householdId) ?? [];
    list.push({ ...member, householdId: member.householdId });
    byHousehold.set(member.householdId, list);
  }
  const rows = exportRows(
    households.map((h) => ({ id: h.id, code: h.code, address: h.address, flags: h.flags ?? [], areaPath: h.area.path, group: h.group })),
    byHousehold,
    wording,
  );
  onProgress?.({ phase: 'write', done: 0, total: rows.length });
  await writeRosterFile(options.file, wording, rows);
  onProgress?.({ phase: 'write', done: rows.length, total: rows.length });
  const written = new Set(rows.map((r) => r.householdCode));
  const result = { households: written.size, residents: rows.length };
  if (options.audit) {
    // Every name and phone number of the community left the database: counts only in the row.
    await recordAudit(prisma, {
      communityId,
      actor: options.audit.actor,
      action: 'household.export',
      subjectType: 'community',
      subjectId: communityId,
      details: result,
    });
  }
  return result;
}

/** Numbers inside codes compare as numbers (户 2 before 户 10), the same on every machine. */
const codeOrder = new Intl.Collator('en', { numeric: true });
const byCode = (a: string, b: string) => codeOrder.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** The rows of an export: households by code, each one's members by position. Pure. */
export function exportRows(
  households: readonly (ExportHousehold & { id: string })[],
  membersByHousehold: ReadonlyMap<string, readonly ExportResident[]>,
  wording: RosterWording,
): RosterCells[] {
  const rows: RosterCells[] = [];
  for (const household of [...households].sort((a, b) => byCode(a.code, b.code))) {
    const members = [...(membersByHousehold.get(household.id) ?? [])].sort(
      (a, b) => a.position - b.position || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    for (const member of members) {
      rows.push({
        householdCode: household.code,
        areaPath: household.areaPath,
        address: household.address,
        memberName: member.name,
        phone: member.phone ?? '',
        birthYear: member.birthYear === null ? '' : String(member.birthYear),
        flags: household.flags.map((f) => (wording.flags as Record<string, string>)[f] ?? f).join(wording.listSeparator),
        groupCode: household.group?.code ?? '',
        groupHead: household.group !== null && household.group.headId === member.id ? wording.yes : '',
        language: member.locale === null ? '' : (wording.languages[member.locale] ?? member.locale),
      });
    }
  }
  return rows;
}

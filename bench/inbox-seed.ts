/**
 * The community of `npm run bench:inbox`, written straight into the app's database before it
 * starts (as bench/tickets-seed.ts does): one area per steward, the households spread over the
 * areas in turn, one resident per household with a bound web chat account (the embedded
 * default's residents file from the web chat, and a reply or resolution goes back there), and
 * the staff: committee members, who see every ticket, and stewards, who see their own area's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '../src/db/prisma-types.js';

export interface InboxPeopleCounts {
  households: number;
  committee: number;
  stewards: number;
}

export interface SeededResident {
  residentId: string;
  /** Index into `areas`. */
  area: number;
}

export interface SeededStaff {
  residentId: string;
  /** Exactly as typed on the sign-in page. */
  name: string;
  role: 'committee' | 'steward';
  /** A steward's area (index into `areas`); null for the committee. */
  area: number | null;
}

export interface InboxCommunity {
  areas: string[];
  residents: SeededResident[];
  staff: SeededStaff[];
}

/** Rows per INSERT: well below PostgreSQL's limit of bind parameters per statement. */
const ROWS_PER_STATEMENT = 1_000;
const DAY_MS = 24 * 3_600_000;

/** A web chat's id as the channel makes them (32 hex digits, kept in the browser's cookie). */
function webChatId(): string {
  return randomBytes(16).toString('hex');
}

async function inChunks<T>(rows: readonly T[], write: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await write(rows.slice(i, i + ROWS_PER_STATEMENT));
}

export async function seedInboxCommunity(prisma: PrismaClient, communityId: string, counts: InboxPeopleCounts): Promise<InboxCommunity> {
  const now = new Date();
  // A term that began yesterday: only current roles count.
  const startsOn = new Date(now.getTime() - DAY_MS);
  const areaCount = Math.max(1, counts.stewards);
  const areas = Array.from({ length: areaCount }, (_, a) => ({ id: randomUUID(), communityId, name: `压测片区${a + 1}`, path: `压测片区${a + 1}`, depth: 1 }));
  const households = Array.from({ length: counts.households }, (_, i) => ({
    id: randomUUID(),
    communityId,
    code: `I-${String(i + 1).padStart(5, '0')}`,
    address: `压测小区${i + 1}号`,
    areaId: areas[i % areaCount]!.id,
  }));
  const residents = households.map((household, i) => ({
    id: randomUUID(),
    communityId,
    householdId: household.id,
    name: `居民${i + 1}`,
    phone: `139${String(i + 1).padStart(8, '0')}`,
    locale: 'zh-CN',
  }));
  const staff: (SeededStaff & { phone: string })[] = [
    ...Array.from({ length: counts.committee }, (_, c) => ({ residentId: randomUUID(), name: `值班委员${c + 1}`, role: 'committee' as const, area: null, phone: `137${String(c + 1).padStart(8, '0')}` })),
    ...Array.from({ length: counts.stewards }, (_, s) => ({ residentId: randomUUID(), name: `片区干部${s + 1}`, role: 'steward' as const, area: s, phone: `136${String(s + 1).padStart(8, '0')}` })),
  ];

  await inChunks(areas, (data) => prisma.area.createMany({ data }));
  await inChunks(households, (data) => prisma.household.createMany({ data }));
  await inChunks(residents, (data) => prisma.resident.createMany({ data }));
  await inChunks(
    staff.map((s) => ({ id: s.residentId, communityId, name: s.name, phone: s.phone, locale: 'zh-CN' })),
    (data) => prisma.resident.createMany({ data }),
  );
  await inChunks(
    staff.map((s) => ({ communityId, residentId: s.residentId, role: s.role, areaId: s.area === null ? null : areas[s.area]!.id, startsOn })),
    (data) => prisma.roleAssignment.createMany({ data }),
  );
  await inChunks(
    residents.map((r) => ({ communityId, channel: 'web', externalId: webChatId(), residentId: r.id, boundAt: now, locale: 'zh-CN' })),
    (data) => prisma.chatAccount.createMany({ data }),
  );
  return {
    areas: areas.map((a) => a.id),
    residents: residents.map((r, i) => ({ residentId: r.id, area: i % areaCount })),
    staff: staff.map(({ phone: _phone, ...s }) => s),
  };
}

/**
 * The archive as queries, for the residents' chat and for any other reader (a staff console list
 * passes the viewer it wants): what a viewer may read — notices sent to everyone, to an area
 * their home is in, to their household group or to one of their roles (a notice for priority
 * households reaches those of a priority home only), or to a saved audience naming them so —
 * newest first, paged; the same searched with
 * a person's own words; one notice in full.
 *
 * Plain SQL on `Notice` (JSON operators and `strpos`), the same on PGlite and PostgreSQL with no
 * extension: the database keeps what a viewer may read and holds at least one search term, and
 * `rankNotices` orders those (src/features/notices/archive/rules/). A community keeps hundreds of
 * notices, not millions: a scan of its rows is quicker than any index would pay back.
 */
import { storedAttachment, type NoticeAttachment } from '../send/notice-attachment.js';
import { Prisma, type Tx } from '../../../db/prisma-types.js';
import { archiveSentAfter } from './rules/archive-expiry.js';
import { rankNotices } from './rules/search-rank.js';
import { searchTerms } from './rules/search-terms.js';
import { noticeIn, noticeVersions } from './notice-search-text.js';
import type { ArchiveViewer } from './archive-viewer.js';

export interface ArchiveScope {
  viewer: ArchiveViewer;
  now: Date;
  /** `parseNoticeSettings(…).archiveDays`: how long a plain notice stays (null: forever). */
  archiveDays: number | null;
}

export interface ArchivePage {
  offset: number;
  limit: number;
}

export interface ArchiveItem {
  id: string;
  number: string;
  kind: string;
  /** In the language asked for, when the notice has that version. */
  title: string;
  sentAt: Date;
}

export interface ArchiveList {
  items: ArchiveItem[];
  /** How many there are in all (beyond this page too). */
  total: number;
}

export interface ArchivedNotice extends ArchiveItem {
  body: string;
  photoRef: string | null;
  /** Its file (`Notice.attachment`), if it has one. */
  attachment: NoticeAttachment | null;
  asksConfirmation: boolean;
}

interface NoticeRow {
  id: string;
  number: string;
  kind: string;
  locale: string;
  title: string;
  body: string;
  versions: unknown;
  sentAt: Date;
  searchText: string;
  photoRef: string | null;
  attachment: unknown;
  asksConfirmation: boolean;
}

/** SQL of an instant compared with a `timestamp(3)` column, which holds UTC. */
function utc(at: Date): Prisma.Sql {
  return Prisma.sql`(${at.toISOString()}::timestamptz AT TIME ZONE 'UTC')`;
}

/**
 * Whether an audience (a JSON column: `Notice.audience`, `SavedAudience.audience`) names the
 * viewer: everyone, an area of their home (or above it), their group, one of their roles, or
 * them by name (a saved hand-picked list). Priority is apart (`readable`).
 */
function names(audience: Prisma.Sql, viewer: ArchiveViewer): Prisma.Sql {
  const home = viewer.areaIds.length > 0 || viewer.groupIds.length > 0;
  const list = (field: string) => Prisma.sql`coalesce(${audience}->${field}, '[]'::jsonb)`;
  return Prisma.sql`(
      coalesce(${audience}->>'everyone', 'false') = 'true'
      OR (${home}::boolean AND (
        jsonb_exists_any(${list('areaIds')}, ${viewer.areaIds}::text[])
        OR jsonb_exists_any(${list('groupIds')}, ${viewer.groupIds}::text[])))
      OR jsonb_exists_any(${list('roles')}, ${viewer.roles}::text[])
      OR jsonb_exists_any(${list('residentIds')}, ${viewer.residentId ? [viewer.residentId] : []}::text[]))`;
}

/** The saved audience a notice was sent to (`audience.savedAudienceId`), as `s`, where `condition` holds. */
function savedAudience(condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "SavedAudience" s
    WHERE s."id" = n."audience"->>'savedAudienceId' AND s."communityId" = n."communityId" AND ${condition})`;
}

/**
 * The notices `scope.viewer` may read at `scope.now`, as a WHERE clause on `Notice` n. As the
 * roll-call reads an audience (src/features/notices/answers/addressed-households.ts): the
 * notice's and its saved audience's together, and `priority` on either keeps it to priority homes.
 */
function readable(scope: ArchiveScope): Prisma.Sql {
  const { viewer, now, archiveDays } = scope;
  const sentAfter = archiveSentAfter(now, archiveDays);
  const priorityOnly = Prisma.sql`(coalesce(n."audience"->>'priority', 'false') = 'true'
    OR ${savedAudience(Prisma.sql`coalesce(s."audience"->>'priority', 'false') = 'true'`)})`;
  return Prisma.sql`n."communityId" = ${viewer.communityId}
    AND n."status" IN ('sending', 'sent') AND n."sentAt" IS NOT NULL
    AND (n."kind" IN ('disclosure', 'alert') OR (
      (n."expiresAt" IS NULL OR n."expiresAt" > ${utc(now)})
      AND ${sentAfter ? Prisma.sql`n."sentAt" > ${utc(sentAfter)}` : Prisma.sql`TRUE`}))
    AND (${viewer.wholeCommunity === true}::boolean OR (
      (${viewer.priority}::boolean OR NOT ${priorityOnly})
      AND (${names(Prisma.sql`n."audience"`, viewer)} OR ${savedAudience(names(Prisma.sql`s."audience"`, viewer))})))`;
}

const COLUMNS = Prisma.sql`n."id", n."number", n."kind", n."locale", n."title", n."body", n."versions", n."sentAt", n."searchText", n."photoRef", n."attachment", n."asksConfirmation"`;

function item(row: NoticeRow, locale: string): ArchiveItem {
  return { id: row.id, number: row.number, kind: row.kind, title: noticeIn(row, locale).title, sentAt: row.sentAt };
}

/** The latest notices the viewer may read, newest first. */
export async function listArchive(db: Tx, scope: ArchiveScope, page: ArchivePage, locale: string): Promise<ArchiveList> {
  const where = readable(scope);
  // One after the other: statements of one transaction never run side by side.
  const rows = await db.$queryRaw<NoticeRow[]>`SELECT ${COLUMNS} FROM "Notice" n WHERE ${where}
      ORDER BY n."sentAt" DESC, n."id" DESC OFFSET ${page.offset} LIMIT ${page.limit}`;
  const counted = await db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS "total" FROM "Notice" n WHERE ${where}`;
  return { items: rows.map((row) => item(row, locale)), total: counted[0]?.total ?? 0 };
}

/**
 * The notices answering `query` (a person's own words: "什么时候停水？"), best first. A query of
 * question words only ("什么时候？") asks for nothing: the latest are listed instead.
 */
export async function searchNotices(db: Tx, scope: ArchiveScope, query: string, page: ArchivePage, locale: string): Promise<ArchiveList & { terms: string[] }> {
  const terms = searchTerms(query);
  if (terms.length === 0) return { ...(await listArchive(db, scope, page, locale)), terms };
  const where = readable(scope);
  const rows = await db.$queryRaw<NoticeRow[]>`SELECT ${COLUMNS} FROM "Notice" n WHERE ${where}
      AND EXISTS (SELECT 1 FROM unnest(${terms}::text[]) AS t(term) WHERE strpos(n."searchText", t.term) > 0)`;
  const counted = await db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS "total" FROM "Notice" n WHERE ${where}`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  const candidates = rows.map((row) => ({
    id: row.id,
    titles: [row.title, ...Object.values(noticeVersions(row.versions)).map((version) => version.title)],
    searchText: row.searchText,
    sentAt: row.sentAt,
  }));
  const ranked = rankNotices(terms, candidates, counted[0]?.total ?? 0);
  return {
    items: ranked.slice(page.offset, page.offset + page.limit).map(({ id }) => item(byId.get(id)!, locale)),
    total: ranked.length,
    terms,
  };
}

/** One notice in full, in `locale` where it has that version; null when the viewer may not read it (or it left the archive). */
export async function loadArchivedNotice(db: Tx, scope: ArchiveScope, noticeId: string, locale: string): Promise<ArchivedNotice | null> {
  const rows = await db.$queryRaw<NoticeRow[]>`SELECT ${COLUMNS} FROM "Notice" n WHERE n."id" = ${noticeId} AND ${readable(scope)}`;
  const row = rows[0];
  if (!row) return null;
  return { ...item(row, locale), body: noticeIn(row, locale).body, photoRef: row.photoRef, attachment: storedAttachment(row.attachment), asksConfirmation: row.asksConfirmation };
}

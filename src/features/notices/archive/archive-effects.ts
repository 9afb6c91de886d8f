/**
 * The archive in chat (flows/notices.yaml, 📢 通知公告): `notices_list` lists the latest notices
 * the person may read, or those answering their own words, a page at a time, as choices;
 * `notices_open` sends one in full (its photo, its answer buttons) to their chat. A visitor reads
 * what is addressed to everyone.
 */
import type { EffectContext, EffectHandler, ReadOnlyEffect } from '../../../conversation/effects.js';
import type { Json } from '../../../conversation/engine-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { localParts } from '../../tickets/rules/local-time.js';
import { parseNoticeSettings } from '../rules/notice-settings.js';
import { listArchive, loadArchivedNotice, searchNotices, type ArchiveItem, type ArchiveScope } from './archive-query.js';
import { archiveViewerOfAccount } from './archive-viewer.js';
import { markedTitle } from './notice-marks.js';
import { writeNoticeMessage, type NoticeMessageDeps } from './notice-message.js';

/** Notices offered at once: with the fixed choices they fit a phone's screen. */
export const ARCHIVE_PAGE_SIZE = 8;
/** Longer words are cut here: no question needs more, and the terms stay few. */
const MAX_QUERY_LENGTH = 100;

async function scopeFor(ctx: EffectContext, now: Date): Promise<{ scope: ArchiveScope; timezone: string } | null> {
  const community = await ctx.tx.community.findUniqueOrThrow({ where: { id: ctx.communityId }, select: { timezone: true, noticeSettings: true } });
  const viewer = await archiveViewerOfAccount(ctx.tx, ctx.chatAccountId, ctx.communityId, now);
  if (!viewer) return null;
  return { scope: { viewer, now, archiveDays: parseNoticeSettings(community.noticeSettings).archiveDays }, timezone: community.timezone };
}

function offsetOf(value: Json | undefined): number {
  const offset = typeof value === 'string' ? Number(value) : value;
  return typeof offset === 'number' && Number.isInteger(offset) && offset > 0 ? offset : 0;
}

function queryOf(value: Json | undefined): string | null {
  if (typeof value !== 'string') return null;
  const query = [...value.trim()].slice(0, MAX_QUERY_LENGTH).join('');
  return query === '' ? null : query;
}

export function noticesListEffect(translator: Translator, now: () => Date = () => new Date()): ReadOnlyEffect {
  const label = (item: ArchiveItem, locale: string, timezone: string) => {
    const { month, day } = localParts(item.sentAt, timezone);
    return translator.t(locale, 'notices.archive.item', { title: markedTitle(translator, locale, item, 'list'), month, day });
  };
  return {
    readOnly: true,
    run: async (ctx, args): Promise<Json> => {
      const at = now();
      const found = await scopeFor(ctx, at);
      if (!found) return { status: 'none' };
      const offset = offsetOf(args['offset']);
      const query = queryOf(args['query']);
      const page = { offset, limit: ARCHIVE_PAGE_SIZE };
      const searchedFor = query ? await searchNotices(ctx.tx, found.scope, query, page, ctx.locale) : null;
      const list = searchedFor ?? (await listArchive(ctx.tx, found.scope, page, ctx.locale));
      // Words of question only ("什么时候？") ask for nothing: the latest are listed as such.
      const searched = searchedFor !== null && searchedFor.terms.length > 0;
      if (list.items.length === 0) return { status: offset > 0 || !searched ? 'none' : 'no_match', query };
      const vars = { from: offset + 1, to: offset + list.items.length, total: list.total, query: query ?? '' };
      return {
        status: 'ok',
        query,
        offset,
        next: offset + list.items.length,
        more: offset + list.items.length < list.total ? 'yes' : 'no',
        heading: searched ? translator.t(ctx.locale, 'notices.archive.heading.found', vars) : translator.t(ctx.locale, 'notices.archive.heading.latest', vars),
        items: list.items.map((item) => ({ value: item.id, label: label(item, ctx.locale, found.timezone) })),
      };
    },
  };
}

export function noticesOpenEffect(deps: NoticeMessageDeps, now: () => Date = () => new Date()): EffectHandler {
  return async (ctx, args): Promise<Json> => {
    const at = now();
    const noticeId = typeof args['notice'] === 'string' ? args['notice'] : '';
    const found = noticeId ? await scopeFor(ctx, at) : null;
    const notice = found ? await loadArchivedNotice(ctx.tx, found.scope, noticeId, ctx.locale) : null;
    if (!found || !notice) return { status: 'gone' };
    const written = await writeNoticeMessage(ctx.tx, deps, ctx.chatAccountId, notice, { locale: ctx.locale, timezone: found.timezone, now: at });
    if (!written) return { status: 'gone' };
    const asks = notice.kind === 'alert' || notice.asksConfirmation;
    return { status: 'ok', number: notice.number, asks: asks ? 'yes' : 'no' };
  };
}

/**
 * The effects flows/meetings.yaml and flows/meeting_rsvp.yaml call (declared in module.ts): the
 * person's meetings still ahead with their answers, answering an invitation, their own reminder
 * offsets, and their private calendar feed address. Each returns a `status` to branch on and any
 * words already in the person's language.
 */
import type { EffectContext, EffectEntry, EffectHandler } from '../../conversation/effects.js';
import type { Json } from '../../conversation/engine-types.js';
import type { Translator } from '../../i18n/translator.js';
import { feedPath, feedTokenOf, renewFeedToken } from './calendar/feed-tokens.js';
import { answerInvitation, setOwnOffsets, upcomingInvitations } from './invite/answers.js';
import type { MeetingWatcher } from './reminders/meeting-reminders.js';
import { offsetsFor, parseOffsets } from './rules/reminders.js';
import { parseRsvpArgument, RSVP_ANSWERS, type RsvpAnswer } from './rules/rsvp.js';
import { MeetingWords } from './schedule/meeting-words.js';

export interface MeetingsEffectsDeps {
  watcher: MeetingWatcher;
  translator: Translator;
  icsKey: string;
  /** The server's public address, or '' (the feed is then shown as a path). */
  publicUrl: string;
  now(): Date;
}

const text = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

/** Minutes as the person reads them: "24 小时", "90 分钟". */
function offsetWords(deps: MeetingsEffectsDeps, locale: string, offsets: readonly number[]): string {
  return offsets
    .map((minutes) => (minutes % 60 === 0 ? deps.translator.t(locale, 'meetings.remind.hours', { count: minutes / 60 }) : deps.translator.t(locale, 'meetings.remind.minutes', { count: minutes })))
    .join(deps.translator.t(locale, 'meetings.remind.separator'));
}

export function meetingsEffects(deps: MeetingsEffectsDeps): Map<string, EffectEntry> {
  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });
  const residentOf = async (ctx: EffectContext): Promise<string | null> =>
    (await ctx.tx.chatAccount.findUnique({ where: { id: ctx.chatAccountId }, select: { residentId: true } }))?.residentId ?? null;
  const wordsFor = async (ctx: EffectContext) =>
    new MeetingWords(deps.translator, ctx.locale, (await ctx.tx.community.findUniqueOrThrow({ where: { id: ctx.communityId }, select: { timezone: true } })).timezone);

  return new Map<string, EffectEntry>([
    [
      'meetings_upcoming',
      readOnly(async (ctx): Promise<Json> => {
        const residentId = await residentOf(ctx);
        if (!residentId) return { status: 'none', text: '', items: [] };
        const words = await wordsFor(ctx);
        const mine = await upcomingInvitations(ctx.tx, residentId, deps.now());
        const lines = mine.map((one) =>
          deps.translator.t(ctx.locale, 'meetings.core.list_item', { ...words.vars(one), answer: words.answer(one.rsvp), reminders: offsetWords(deps, ctx.locale, offsetsFor(one.meetingOffsets, one.reminderOffsets)) }),
        );
        return {
          status: mine.length > 0 ? 'ok' : 'none',
          text: lines.join('\n\n'),
          items: mine.map((one) => ({ value: one.number, label: `${one.title} · ${words.when(one)}` })),
        };
      }),
    ],
    [
      'meetings_rsvp_look',
      readOnly(async (ctx, args): Promise<Json> => {
        const parsed = parseRsvpArgument(text(args.argument));
        if (!parsed) return { status: 'invalid', number: '', answer: '' };
        const residentId = await residentOf(ctx);
        const found = residentId
          ? await ctx.tx.meetingInvitation.findFirst({ where: { residentId, meeting: { communityId: ctx.communityId, number: parsed.number } }, select: { meeting: { select: { title: true, status: true, startsAt: true } } } })
          : null;
        if (!found) return { status: 'not_found', number: parsed.number, answer: '' };
        if (found.meeting.status !== 'scheduled' || found.meeting.startsAt.getTime() <= deps.now().getTime()) return { status: 'closed', number: parsed.number, answer: '' };
        return { status: 'ok', number: parsed.number, title: found.meeting.title, answer: parsed.answer ?? '' };
      }),
    ],
    [
      'meetings_rsvp',
      async (ctx, args): Promise<Json> => {
        const parsed = parseRsvpArgument(text(args.argument));
        const picked = RSVP_ANSWERS.find((answer) => answer === text(args.picked));
        const answer: RsvpAnswer | undefined = parsed?.answer ?? picked;
        const residentId = await residentOf(ctx);
        if (!parsed || !answer || !residentId) return { status: 'invalid' };
        const reason = text(args.reason).trim() || null;
        const outcome = await answerInvitation(ctx.tx, deps.watcher, { communityId: ctx.communityId, residentId, number: parsed.number, answer, reason, now: deps.now() });
        if (outcome.status !== 'recorded') return { status: outcome.status };
        const words = await wordsFor(ctx);
        return { status: 'recorded', number: parsed.number, answer: words.answer(answer) };
      },
    ],
    [
      'meetings_offsets',
      async (ctx, args): Promise<Json> => {
        const residentId = await residentOf(ctx);
        const typed = text(args.offsets).trim();
        // "默认" / "default" goes back to each meeting's own offsets.
        const offsets = /^(默认|default)$/i.test(typed) ? [] : parseOffsets(typed);
        if (!residentId || offsets === null || (offsets.length === 0 && !/^(默认|default)$/i.test(typed))) return { status: 'invalid', text: '' };
        const count = await setOwnOffsets(ctx.tx, deps.watcher, residentId, offsets, deps.now());
        return { status: count > 0 ? 'set' : 'none', text: offsets.length > 0 ? offsetWords(deps, ctx.locale, offsets) : deps.translator.t(ctx.locale, 'meetings.remind.meeting_default') };
      },
    ],
    [
      'meetings_feed',
      readOnly(async (ctx): Promise<Json> => {
        const residentId = await residentOf(ctx);
        if (!residentId) return { status: 'none', url: '' };
        const token = await feedTokenOf(ctx.tx, deps.icsKey, residentId, deps.now());
        return { status: 'ok', url: `${deps.publicUrl}${feedPath(token)}` };
      }),
    ],
    [
      'meetings_feed_renew',
      async (ctx): Promise<Json> => {
        const residentId = await residentOf(ctx);
        if (!residentId) return { status: 'none' };
        // The new address is shown by `meetings_feed` (read-only: never stored with the flow's effects).
        await renewFeedToken(ctx.tx, deps.icsKey, residentId, deps.now());
        return { status: 'renewed' };
      },
    ],
  ]);
}

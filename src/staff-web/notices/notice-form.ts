/**
 * The compose form as typed: every field checked at the edge (no NUL, no lone surrogate, bounded
 * lengths, a list field given once or many times), then turned into the service's draft. What
 * the service checks itself (title and body lengths, the audience's ids and the actor's right to
 * them) is left to it, so its words answer.
 */
import { z } from 'zod';
import { ROLES } from '../../features/community/vocabulary.js';
import type { NoticeDraft, NoticeKind } from '../../features/notices/send/notice-service.js';
import type { Audience, NoticeVia } from '../../features/notices/rules/audience.js';
import { localDateTime } from '../../features/tickets/rules/local-time.js';
import { formText } from '../people/typed-input.js';

/** Longer than the service's limits (200, 8,000), so a too-long text reaches its check and its words. */
const TITLE_TYPED = 1_000;
const BODY_TYPED = 20_000;
const ID_TYPED = 100;

/** A field a multi-select or several checkboxes send zero, one or many times. */
const many = <T extends string>(item: z.ZodType<T>) =>
  z.union([item, z.array(item).max(500)]).optional().transform((value): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
const checked = z.literal('1').optional();

export const composeBody = z.object({
  _csrf: z.string(),
  action: z.enum(['preview', 'send', 'save_audience']).default('preview'),
  kind: z.enum(['notice', 'alert', 'disclosure']),
  title: formText(TITLE_TYPED),
  body: formText(BODY_TYPED),
  title_en: formText(TITLE_TYPED).optional(),
  body_en: formText(BODY_TYPED).optional(),
  everyone: checked,
  areas: many(formText(ID_TYPED)),
  groups: many(formText(ID_TYPED)),
  roles: many(z.enum(ROLES)),
  priority: checked,
  saved: formText(ID_TYPED).optional(),
  /** The name to save the chosen audience under (action=save_audience). */
  save_as: formText(ID_TYPED).optional(),
  /** A file taken on an earlier post of this form: kept, with the signed address that proves it is ours. */
  attachment_ref: formText(ID_TYPED).optional(),
  attachment_name: formText(ID_TYPED).optional(),
  attachment_link: formText(1_000).optional(),
  remove_attachment: checked,
  via: z.enum(['private', 'groups', 'both']),
  per_household: checked,
  asks_confirmation: checked,
  when: z.enum(['now', 'at']).default('now'),
  send_at: formText(20).optional(),
});

export type ComposeForm = z.infer<typeof composeBody>;

/** The form as the service takes it, or the locale key of what is wrong with it. */
export function draftOf(form: ComposeForm, timezone: string): { draft: NoticeDraft } | { problem: string } {
  const audience = audienceOf(form);
  let sendAt: Date | null = null;
  if (form.when === 'at') {
    sendAt = typedLocalTime(form.send_at ?? '', timezone);
    if (!sendAt) return { problem: 'staffweb.notices.problem.send_at' };
  }
  const englishTitle = form.title_en?.trim() ?? '';
  const englishBody = form.body_en?.trim() ?? '';
  if (Boolean(englishTitle) !== Boolean(englishBody)) return { problem: 'staffweb.notices.problem.version' };
  return {
    draft: {
      kind: form.kind as NoticeKind,
      title: form.title,
      body: form.body,
      ...(englishTitle ? { versions: { en: { title: englishTitle, body: englishBody } } } : {}),
      audience,
      via: form.via as NoticeVia,
      perHousehold: form.per_household === '1',
      asksConfirmation: form.asks_confirmation === '1',
      sendAt,
    },
  };
}

/** `YYYY-MM-DDTHH:MM` (a datetime-local field) as the community's wall clock reads it; null when it is no such time. */
export function typedLocalTime(text: string, timezone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return localDateTime(year, month, day, hour, minute, timezone);
}

/** The service's problem codes (`draftProblem`) as words. */
export const PROBLEM_KEYS: Readonly<Record<string, string>> = {
  kind: 'staffweb.notices.problem.kind',
  title: 'staffweb.notices.problem.title',
  body: 'staffweb.notices.problem.body',
  via: 'staffweb.notices.problem.via',
  audience: 'staffweb.notices.problem.audience',
  version: 'staffweb.notices.problem.version',
  attachment: 'staffweb.notices.problem.attachment',
  name: 'staffweb.notices.problem.audience_name',
};

/** The audience the form chose, as the service takes it. */
export function audienceOf(form: ComposeForm): Audience {
  return {
    ...(form.everyone ? { everyone: true as const } : {}),
    ...(form.areas.length ? { areaIds: form.areas } : {}),
    ...(form.groups.length ? { groupIds: form.groups } : {}),
    ...(form.roles.length ? { roles: form.roles } : {}),
    ...(form.priority ? { priority: true as const } : {}),
    ...(form.saved ? { savedAudienceId: form.saved } : {}),
  };
}

/**
 * The compose page as a pure view: the form (kind, title, body, an optional English version, the
 * audience the staff member may choose, where, one per household, asks for confirmation, now or
 * at a time in the community's zone) kept filled in after a preview or a refusal, and the
 * preview — the counts the service gives and the notice as residents will read it.
 */
import type { AudienceCounts } from '../../features/notices/rules/audience.js';
import { ROLES } from '../../features/community/vocabulary.js';
import { csrfField, roleLabel, type ViewContext } from '../people/view-parts.js';
import { html, type SafeHtml } from '../shell/html.js';
import type { NoticeChoices } from './notice-choices.js';
import type { ComposeForm } from './notice-form.js';

export const NOTICES_PATH = '/staff/notices';

const KIND_KEYS = { notice: 'staffweb.notices.kind.notice', alert: 'staffweb.notices.kind.alert', disclosure: 'staffweb.notices.kind.disclosure' } as const;
const VIA_KEYS = { both: 'staffweb.notices.via.both', private: 'staffweb.notices.via.private', groups: 'staffweb.notices.via.groups' } as const;

export interface ComposePreview {
  counts: AudienceCounts;
  /** The title as residents see it (marked by its kind) and the body. */
  title: string;
  body: string;
}

/** A file taken on an earlier post of the form, kept with it: its name and download address. */
export interface KeptFile {
  name: string;
  href: string;
}

/** A form filled in before (a preview, a refusal), or nothing for a fresh one. */
export type Filled = Partial<ComposeForm>;

export function composeView(choices: NoticeChoices, filled: Filled, preview: ComposePreview | null, ctx: ViewContext, kept: KeptFile | null = null, maxFileMegabytes = ''): SafeHtml {
  const { t } = ctx;
  const kind = filled.kind ?? 'notice';
  const via = filled.via ?? 'both';
  const selected = (list: readonly string[] | undefined, id: string) => (list?.includes(id) ? html` selected` : '');
  const tick = (on: boolean) => (on ? html` checked` : '');
  return html`<h1>${t('staffweb.notices.new.title')}</h1>
${preview ? previewView(preview, ctx) : ''}
<form class="notices-form requests-card" method="post" action="${NOTICES_PATH}" enctype="multipart/form-data">${csrfField(ctx)}
<fieldset><legend>${t('staffweb.notices.new.kind')}</legend>
${(['notice', 'alert', 'disclosure'] as const).map((k) => html`<label class="notices-choice"><input type="radio" name="kind" value="${k}"${tick(kind === k)}> ${t(KIND_KEYS[k])}</label>`)}
</fieldset>
<label for="notice-title">${t('staffweb.notices.new.heading_label')}</label>
<input id="notice-title" name="title" required maxlength="200" value="${filled.title ?? ''}">
<label for="notice-body">${t('staffweb.notices.new.body')}</label>
<textarea id="notice-body" name="body" required rows="6" maxlength="8000">${filled.body ?? ''}</textarea>
<fieldset><legend>${t('staffweb.notices.new.file')}</legend>
${kept
    ? html`<p class="notices-file-kept">${t('staffweb.notices.new.file_kept')}<a class="notices-file" href="${kept.href}" download>${kept.name}</a></p>
<input type="hidden" name="attachment_ref" value="${filled.attachment_ref ?? ''}">
<input type="hidden" name="attachment_name" value="${filled.attachment_name ?? ''}">
<input type="hidden" name="attachment_link" value="${filled.attachment_link ?? ''}">
<label class="notices-choice"><input type="checkbox" name="remove_attachment" value="1"> ${t('staffweb.notices.new.file_remove')}</label>`
    : ''}
<label for="notice-file">${kept ? t('staffweb.notices.new.file_replace') : t('staffweb.notices.new.file_choose')}</label>
<input id="notice-file" name="file" type="file" accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp" aria-describedby="notice-file-hint">
<p id="notice-file-hint" class="requests-note">${t('staffweb.notices.new.file_hint', { max: maxFileMegabytes })}</p>
</fieldset>
<details${filled.title_en ? html` open` : ''}><summary>${t('staffweb.notices.new.english')}</summary>
<label for="notice-title-en">${t('staffweb.notices.new.title_en')}</label>
<input id="notice-title-en" name="title_en" maxlength="200" lang="en" value="${filled.title_en ?? ''}">
<label for="notice-body-en">${t('staffweb.notices.new.body_en')}</label>
<textarea id="notice-body-en" name="body_en" rows="4" maxlength="8000" lang="en">${filled.body_en ?? ''}</textarea>
</details>
<fieldset><legend>${t('staffweb.notices.new.audience')}</legend>
${choices.mayAll ? html`<label class="notices-choice"><input type="checkbox" name="everyone" value="1"${tick(filled.everyone === '1')}> ${t('staffweb.notices.new.everyone')}</label>` : ''}
${choices.areas.length > 0
    ? html`<label for="notice-areas">${t('staffweb.notices.new.areas')}</label>
<select id="notice-areas" name="areas" multiple size="${listSize(choices.areas.length)}">${choices.areas.map((area) => html`<option value="${area.id}"${selected(filled.areas, area.id)}>${area.path}</option>`)}</select>`
    : ''}
${choices.groups.length > 0
    ? html`<label for="notice-groups">${t('staffweb.notices.new.groups')}</label>
<select id="notice-groups" name="groups" multiple size="${listSize(choices.groups.length)}">${choices.groups.map((group) => html`<option value="${group.id}"${selected(filled.groups, group.id)}>${group.code}</option>`)}</select>`
    : ''}
${choices.mayAll
    ? html`<label for="notice-roles">${t('staffweb.notices.new.roles')}</label>
<select id="notice-roles" name="roles" multiple size="4">${ROLES.map((role) => html`<option value="${role}"${selected(filled.roles, role)}>${roleLabel(role, ctx)}</option>`)}</select>`
    : ''}
<label class="notices-choice"><input type="checkbox" name="priority" value="1"${tick(filled.priority === '1')}> ${t('staffweb.notices.new.priority')}</label>
${choices.saved.length > 0
    ? html`<label for="notice-saved">${t('staffweb.notices.new.saved')}</label>
<select id="notice-saved" name="saved"><option value="">${t('staffweb.notices.new.saved_none')}</option>${choices.saved.map((saved) => html`<option value="${saved.id}"${filled.saved === saved.id ? html` selected` : ''}>${saved.name}</option>`)}</select>`
    : ''}
<div class="notices-save-audience">
<label for="notice-save-as">${t('staffweb.notices.new.save_as')}</label>
<input id="notice-save-as" name="save_as" maxlength="100" value="${filled.save_as ?? ''}">
<button type="submit" name="action" value="save_audience" formnovalidate>${t('staffweb.notices.new.save_audience')}</button>
</div>
</fieldset>
<fieldset><legend>${t('staffweb.notices.new.via')}</legend>
${(['both', 'private', 'groups'] as const).map((v) => html`<label class="notices-choice"><input type="radio" name="via" value="${v}"${tick(via === v)}> ${t(VIA_KEYS[v])}</label>`)}
</fieldset>
<label class="notices-choice"><input type="checkbox" name="per_household" value="1"${tick(filled.per_household === '1')}> ${t('staffweb.notices.new.per_household')}</label>
<label class="notices-choice"><input type="checkbox" name="asks_confirmation" value="1"${tick(filled.asks_confirmation === '1')}> ${t('staffweb.notices.new.asks_confirmation')}</label>
<fieldset><legend>${t('staffweb.notices.new.when')}</legend>
<label class="notices-choice"><input type="radio" name="when" value="now"${tick(filled.when !== 'at')}> ${t('staffweb.notices.new.now')}</label>
<label class="notices-choice"><input type="radio" name="when" value="at"${tick(filled.when === 'at')}> ${t('staffweb.notices.new.at')}</label>
<label for="notice-send-at">${t('staffweb.notices.new.send_at', { timezone: ctx.viewer.timezone })}</label>
<input id="notice-send-at" name="send_at" type="datetime-local" value="${filled.send_at ?? ''}">
</fieldset>
<div class="requests-actions">
<button type="submit" name="action" value="preview">${t('staffweb.notices.new.preview')}</button>
<button type="submit" name="action" value="send">${t('staffweb.notices.new.send')}</button>
</div>
</form>`;
}

function previewView(preview: ComposePreview, ctx: ViewContext): SafeHtml {
  const { t } = ctx;
  const { counts } = preview;
  return html`<section class="requests-card notices-preview" aria-labelledby="notice-preview-title">
<h2 id="notice-preview-title">${t('staffweb.notices.preview.title')}</h2>
<p role="status"><strong>${t('staffweb.notices.preview.counts', { people: counts.people, households: counts.households, chats: counts.chats, unreachable: counts.unreachable })}</strong></p>
<h3>${t('staffweb.notices.preview.as_read')}</h3>
<blockquote class="notices-as-read"><p><strong>${preview.title}</strong></p>${preview.body.split('\n').map((line) => html`<p>${line}</p>`)}</blockquote>
</section>`;
}

/** Rows a multi-select shows: at least two (one row would draw a drop-down that hides it is a list), at most six. */
function listSize(options: number): number {
  return Math.max(2, Math.min(6, options));
}

/**
 * HTML for the staff console's server-rendered pages: a tagged template that escapes every value
 * unless it is already `SafeHtml` (made by this template or `trustedHtml`). Pages are plain
 * functions of their data, so a view is tested without a server and nothing a resident wrote can
 * become markup.
 *
 * @example
 *   html`<li>${ticket.description}</li>`            // the description is escaped
 *   html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`  // arrays are joined
 */

/** Markup that is safe to put into a page as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may stand in a template: text (escaped), numbers, markup, lists of them; nothing for null, undefined or false. */
export type HtmlValue = string | number | SafeHtml | null | undefined | false | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content or a quoted attribute. */
export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((item: HtmlValue) => render(item)).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Markup the project wrote itself (an SVG chart from the chart library, a QR code's SVG). Never for input. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

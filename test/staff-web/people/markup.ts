/**
 * Checks of the staff console's markup that need no browser: what a page under a strict
 * Content-Security-Policy and an accessibility check must hold — every POST form carries the
 * CSRF field, nothing inline runs or styles, every field has its label, ids are unique, one h1
 * and no heading level skipped.
 */
export function markupProblems(page: string, csrfToken: string): string[] {
  const problems: string[] = [];
  const posts = page.match(/<form[^>]*method="post"[^>]*>/g) ?? [];
  const postForms = page.split(/<form[^>]*method="post"[^>]*>/).slice(1).map((rest) => rest.slice(0, rest.indexOf('</form>')));
  for (const [index, body] of postForms.entries()) {
    if (!body.includes(`<input type="hidden" name="_csrf" value="${csrfToken}">`)) problems.push(`POST form ${index + 1} has no _csrf field: ${posts[index]}`);
  }
  if (/<script/i.test(page)) problems.push('inline script');
  if (/\sstyle=/i.test(page)) problems.push('inline style attribute');
  if (/<[a-z][^>]*\son[a-z]+=/i.test(page)) problems.push('inline event handler');
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(`duplicate id ${id}`);
    seen.add(id);
  }
  for (const field of page.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
    const attributes = field[2]!;
    if (/type="hidden"/.test(attributes)) continue;
    const id = /\sid="([^"]+)"/.exec(attributes)?.[1];
    if (!id || !page.includes(`<label for="${id}">`)) problems.push(`field without label: ${field[0]}`);
  }
  for (const button of page.matchAll(/<button\b[^>]*>([\s\S]*?)<\/button>/g)) {
    if (button[1]!.trim() === '') problems.push('button without text');
  }
  const levels = [...page.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
  if (levels.filter((level) => level === 1).length !== 1) problems.push(`h1 count ${levels.filter((level) => level === 1).length}`);
  if (levels[0] !== 1) problems.push('the first heading is not h1');
  for (let i = 1; i < levels.length; i++) if (levels[i]! > levels[i - 1]! + 1) problems.push(`heading h${levels[i]} after h${levels[i - 1]}`);
  return problems;
}

// Staff console: live updates and keyboard shortcuts. The pages work without this script (plain
// links and forms); it only saves reloading and typing.
(() => {
  'use strict';

  // Live: on a change, fetch this page again and swap the parts marked data-live="…" (lists,
  // timelines, counts, a ticket's forms), never one someone is typing in; words typed in a form
  // and left there go over to the same field of the fresh part, or the part stays as it is.
  const streamUrl = document.body.dataset.liveStream;
  // At most one fetch in flight and one every REFRESH_GAP_MS: a busy hour's stream of changes
  // becomes one refresh every few seconds per page, not one per change (50 open pages would
  // otherwise fetch the inbox dozens of times a second).
  const REFRESH_GAP_MS = 2000;
  let refreshing = false;
  let again = false;
  let lastRefresh = 0;
  let waiting = false;
  function refreshSoon() {
    if (waiting) return;
    const wait = lastRefresh + REFRESH_GAP_MS - Date.now();
    if (wait <= 0) { void refresh(); return; }
    waiting = true;
    setTimeout(() => { waiting = false; void refresh(); }, wait);
  }
  async function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    lastRefresh = Date.now();
    try {
      const response = await fetch(location.href, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const fresh of next.querySelectorAll('[data-live]')) {
        const current = document.querySelector(`[data-live="${fresh.dataset.live}"]`);
        if (!current || current.contains(document.activeElement)) continue;
        const replacement = document.importNode(fresh, true);
        if (carryDrafts(current, replacement)) current.replaceWith(replacement);
      }
    } catch {
      // The next change or a reload will catch up.
    } finally {
      refreshing = false;
      if (again) { again = false; refreshSoon(); }
    }
  }
  // Copies what was typed in `current`'s fields to the same fields (by id) of `replacement`;
  // false when one of them has no such field there, so nothing typed is lost.
  function carryDrafts(current, replacement) {
    for (const field of current.querySelectorAll('textarea[id], input[id]:not([type="hidden"])')) {
      if (field.value === field.defaultValue) continue;
      const twin = replacement.querySelector(`#${CSS.escape(field.id)}`);
      if (!twin || twin.tagName !== field.tagName) return false;
      twin.value = field.value;
    }
    return true;
  }
  if (streamUrl && 'EventSource' in window) {
    const source = new EventSource(streamUrl);
    source.addEventListener('change', (event) => {
      let change;
      try { change = JSON.parse(event.data); } catch { return; }
      const watched = document.querySelector('[data-live-watch]');
      const wants = watched ? watched.dataset.liveWatch.split(' ') : [];
      if (wants.includes(change.kind) || wants.includes(`${change.kind}:${change.id}`)) refreshSoon();
    });
  }

  // A form sends once: its button is disabled as it goes (a double tap on a phone would otherwise
  // post the reply twice; the server refuses the second by the ticket's version anyway).
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    if (form.dataset.sending === '1') { event.preventDefault(); return; }
    form.dataset.sending = '1';
    for (const button of form.querySelectorAll('button[type="submit"]')) button.setAttribute('aria-disabled', 'true');
  });

  // Shortcuts: elements with data-shortcut="x" are clicked (buttons, links) or focused (fields)
  // by that key; "/" focuses the search; j / k move between cards.
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    if (event.key === 'j' || event.key === 'k') {
      const cards = [...document.querySelectorAll('[data-card]')];
      if (cards.length === 0) return;
      const index = cards.indexOf(document.activeElement);
      const next = event.key === 'j' ? Math.min(index + 1, cards.length - 1) : Math.max(index - 1, 0);
      cards[index === -1 ? 0 : next].focus();
      event.preventDefault();
      return;
    }
    const element = document.querySelector(`[data-shortcut="${CSS.escape(event.key)}"]`);
    if (!element) return;
    event.preventDefault();
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)) element.focus();
    else element.click();
  });
})();

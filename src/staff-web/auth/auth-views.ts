/** The sign-in, first-administrator and account pages' content. */
import { html, type SafeHtml } from '../shell/html.js';
import type { Translate } from '../shell/viewer.js';

export interface SignInView {
  csrfToken: string;
  /** Where to go once signed in (a console path). */
  next: string;
  name?: string;
}

export function signInView(view: SignInView, t: Translate): SafeHtml {
  return html`<h1>${t('staffweb.auth.title')}</h1>
<section class="auth-card" aria-labelledby="auth-code-heading">
  <h2 id="auth-code-heading">${t('staffweb.auth.send_heading')}</h2>
  <p>${t('staffweb.auth.send_help')}</p>
  <form method="post" action="/staff/sign-in/code" class="auth-form">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <input type="hidden" name="next" value="${view.next}">
    <label for="send-name">${t('staffweb.auth.name')}</label>
    <input id="send-name" name="name" autocomplete="name" required maxlength="100" value="${view.name ?? ''}">
    <button type="submit">${t('staffweb.auth.send')}</button>
  </form>
</section>
<section class="auth-card" aria-labelledby="auth-sign-in-heading">
  <h2 id="auth-sign-in-heading">${t('staffweb.auth.sign_in_heading')}</h2>
  <form method="post" action="/staff/sign-in" class="auth-form">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <input type="hidden" name="next" value="${view.next}">
    <label for="sign-in-name">${t('staffweb.auth.name')}</label>
    <input id="sign-in-name" name="name" autocomplete="name" required maxlength="100" value="${view.name ?? ''}">
    <label for="sign-in-code">${t('staffweb.auth.code')}</label>
    <input id="sign-in-code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="20" aria-describedby="sign-in-code-help">
    <p id="sign-in-code-help" class="auth-help">${t('staffweb.auth.code_help')}</p>
    <button type="submit">${t('staffweb.auth.sign_in')}</button>
  </form>
</section>`;
}

export function setupView(view: { csrfToken: string; token: string; name?: string; phone?: string }, t: Translate): SafeHtml {
  return html`<h1>${t('staffweb.auth.setup_title')}</h1>
<p>${t('staffweb.auth.setup_help')}</p>
<form method="post" action="/staff/setup/${view.token}" class="auth-form auth-card">
  <input type="hidden" name="_csrf" value="${view.csrfToken}">
  <label for="setup-name">${t('staffweb.auth.name')}</label>
  <input id="setup-name" name="name" autocomplete="name" required maxlength="100" value="${view.name ?? ''}">
  <label for="setup-phone">${t('staffweb.auth.phone_optional')}</label>
  <input id="setup-phone" name="phone" inputmode="tel" autocomplete="tel" maxlength="20" value="${view.phone ?? ''}">
  <button type="submit">${t('staffweb.auth.setup_submit')}</button>
</form>`;
}

export function setupGoneView(t: Translate): SafeHtml {
  return html`<h1>${t('staffweb.auth.setup_title')}</h1><p>${t('staffweb.auth.setup_gone')}</p><p><a href="/staff/sign-in">${t('staffweb.auth.sign_in')}</a></p>`;
}

export interface AccountView {
  csrfToken: string;
  name: string;
  locale: string;
  locales: readonly { code: string; label: string }[];
  otherSessions: number;
}

export function accountView(view: AccountView, t: Translate): SafeHtml {
  return html`<h1>${view.name}</h1>
<section class="auth-card" aria-labelledby="account-language">
  <h2 id="account-language">${t('staffweb.auth.language')}</h2>
  <form method="post" action="/staff/account/language" class="auth-form">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <label for="account-locale">${t('staffweb.auth.language')}</label>
    <select id="account-locale" name="locale">${view.locales.map(
      (option) => html`<option value="${option.code}"${option.code === view.locale ? html` selected` : ''}>${option.label}</option>`,
    )}</select>
    <button type="submit">${t('staffweb.auth.save')}</button>
  </form>
</section>
<section class="auth-card" aria-labelledby="account-sessions">
  <h2 id="account-sessions">${t('staffweb.auth.sessions_heading')}</h2>
  <p>${t('staffweb.auth.sessions_other', { count: view.otherSessions })}</p>
  <form method="post" action="/staff/sign-out-everywhere">
    <input type="hidden" name="_csrf" value="${view.csrfToken}">
    <button type="submit">${t('staffweb.auth.sign_out_everywhere')}</button>
  </form>
</section>`;
}

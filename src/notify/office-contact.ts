/**
 * How a message names the community office: "社区办公室（电话：0991-1234567）" when the community has
 * set a phone number, plain "社区办公室" when it has not. Texts say "请联系{{office}}" and never
 * promise a number the community did not give.
 */
import type { Translator } from '../i18n/translator.js';

export function officeContact(translator: Translator, locale: string, officePhone: string | null | undefined): string {
  const phone = officePhone?.trim();
  return phone ? translator.t(locale, 'community.office_with_phone', { phone }) : translator.t(locale, 'community.office');
}

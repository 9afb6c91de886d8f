/**
 * The roster template an office fills in: the header in the chosen language and one example
 * member — a valid row, so importing the untouched template shows what an import does.
 */
import type { Translator } from '../../../i18n/translator.js';
import { rosterTranslator } from './roster-locales.js';
import { rosterWording } from './roster-vocabulary.js';
import { writeRosterFile, type RosterCells } from './roster-write.js';

/** Writes the template to `file` (.xlsx or .csv); throws RosterFileTypeError for another extension. */
export async function writeRosterTemplate(file: string, locale: string, options: { translator?: Translator } = {}): Promise<void> {
  const translator = rosterTranslator(options.translator);
  const wording = rosterWording(translator, locale);
  const example: RosterCells = {
    householdCode: '0001',
    areaPath: translator.t(locale, 'roster.template.area_path'),
    address: translator.t(locale, 'roster.template.address'),
    memberName: translator.t(locale, 'roster.template.member_name'),
    phone: '13800138000',
    birthYear: '1948',
    flags: [wording.flags.elderly, wording.flags.low_income].join(wording.listSeparator),
    groupCode: 'G01',
    groupHead: wording.yes,
    language: wording.languages[locale] ?? locale,
  };
  await writeRosterFile(file, wording, [example]);
}

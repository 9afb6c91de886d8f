/**
 * One line of a roster file as the office keeps it: one member of one household per row, the
 * household's fields on any of its rows (offices fill them once, on the first, and leave them
 * blank on the others). Cells are kept as the text that was
 * in the file; `roster-validate.ts` turns rows into households or into a list of problems.
 */

/** The columns, in the order the template and the export write them. */
export const ROSTER_COLUMNS = [
  'householdCode',
  'areaPath',
  'address',
  'memberName',
  'phone',
  'birthYear',
  'flags',
  'groupCode',
  'groupHead',
  'language',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

/** A row as read: every cell as trimmed text ('' when empty), with its line in the file. */
export type RosterRow = Record<RosterColumn, string> & {
  /** The row's number as a spreadsheet shows it (the header is row 1). */
  line: number;
};

/**
 * The roster: import, export and template of the community's households and residents as
 * .xlsx or .csv files. The `linli roster …` commands and the demo seed use these.
 */
export { importRoster, applyRoster } from './roster-import.js';
export type {
  ApplyRosterOptions,
  ImportRosterOptions,
  RosterAudit,
  RosterImportResult,
  RosterImportFailure,
  RosterImportSuccess,
} from './roster-import.js';
export { exportRoster } from './roster-export.js';
export type { ExportRosterOptions, RosterExportResult } from './roster-export.js';
export { writeRosterTemplate } from './roster-template.js';
export { RosterFileTypeError } from './roster-write.js';
export { rosterFileKind } from './roster-read.js';
export { formatRosterProblem, formatRosterResult, formatRosterExport } from './roster-report.js';
export { ROSTER_PHASES, ROSTER_PHASE_KEYS } from './roster-progress.js';
export type { RosterPhase, RosterProgress, RosterProgressListener } from './roster-progress.js';
export type { RosterProblem, RosterProblemCode } from './roster-problem.js';
export type { RosterCounts, RosterKindCounts, MemberNotInFile } from './roster-plan.js';
export { ROSTER_COLUMNS } from './roster-row.js';
export type { RosterColumn, RosterRow } from './roster-row.js';

/** Progress of a roster import or export, for the command line's bar. */

/** read the file → check the rows → load what the database holds → write. */
export const ROSTER_PHASES = ['read', 'check', 'load', 'write'] as const;
export type RosterPhase = (typeof ROSTER_PHASES)[number];

export interface RosterProgress {
  phase: RosterPhase;
  done: number;
  total: number;
}

export type RosterProgressListener = (progress: RosterProgress) => void;

/** The label of each phase, in the locales. */
export const ROSTER_PHASE_KEYS: Record<RosterPhase, string> = {
  read: 'roster.progress.read',
  check: 'roster.progress.check',
  load: 'roster.progress.load',
  write: 'roster.progress.write',
};

/**
 * A failure the operator can fix (bad input, an unknown household…): a locale key and its
 * values, printed as one line in the operator's language, and the exit code to end with.
 */
import type { Vars } from '../i18n/translator.js';

/** Exit codes: 1 = the command could not do its work, 2 = the command line itself is wrong. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  constructor(
    readonly key: string,
    readonly vars: Vars = {},
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(key);
    this.name = 'CliError';
  }
}

/** The command has already printed its own report (a roster's problems): only the exit code is left. */
export class ReportedFailure extends Error {
  constructor(readonly exitCode: number = EXIT_FAILED) {
    super('reported');
    this.name = 'ReportedFailure';
  }
}

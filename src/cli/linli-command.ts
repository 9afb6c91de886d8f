/**
 * commander's Command with its usage errors in the operator's language (its help is localised by
 * `linli-help.ts`); every line Linli prints about a wrong command line goes through the locales
 * and names the command to ask for help.
 */
import { Command, type Option } from 'commander';
import type { Vars } from '../i18n/translator.js';
import { EXIT_USAGE } from './linli-error.js';
import { termIn } from './linli-help.js';

export type Text = (key: string, vars?: Vars) => string;

export class LinliCommand extends Command {
  constructor(
    name: string | undefined,
    private readonly text: Text,
  ) {
    super(name);
  }

  override createCommand(name?: string): Command {
    return new LinliCommand(name, this.text);
  }

  /** "linli roster import": the command as the operator types it. */
  commandPath(): string {
    const names: string[] = [];
    for (let command: Command | null = this; command; command = command.parent) names.unshift(command.name());
    return names.join(' ');
  }

  /** Ends the command with one localised usage line and exit code 2. */
  usageError(key: string, vars: Vars = {}): never {
    const line = this.text('cli.usage.line', { problem: this.text(key, vars), command: this.commandPath() });
    return this.error(line, { code: 'commander.usage', exitCode: EXIT_USAGE });
  }

  // The methods below replace commander's (same names): each is how commander reports one kind
  // of wrong command line.

  missingArgument(name: string): never {
    return this.usageError('cli.usage.missing_argument', { name: termIn(this.text, name) });
  }

  optionMissingArgument(option: Option): never {
    return this.usageError('cli.usage.option_missing_value', { option: option.long ?? option.flags });
  }

  missingMandatoryOptionValue(option: Option): never {
    return this.usageError('cli.usage.missing_option', { option: option.long ?? option.flags });
  }

  unknownOption(flag: string): never {
    return this.usageError('cli.usage.unknown_option', { option: flag });
  }

  unknownCommand(): never {
    return this.usageError('cli.usage.unknown_command', { name: this.args[0] ?? '' });
  }

  _excessArguments(received: string[]): never {
    return this.usageError('cli.usage.excess_arguments', { expected: this.registeredArguments.length, arguments: received.join(' ') });
  }
}

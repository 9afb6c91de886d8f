/**
 * The `linli` commands, described in the operator's language — commander's own words in the help
 * too (`linli-help.ts`). commander prints help and usage
 * errors through the runtime's streams and never exits the process itself: `runLinli` turns
 * every ending into an exit code. Subcommands inherit these settings from the program.
 */
import { registerBindingCommands } from './commands/binding-command.js';
import { registerDemoCommands } from './commands/demo-command.js';
import { registerFundCommands } from './commands/fund-command.js';
import { registerHouseholdCommands } from './commands/household-command.js';
import { registerHousekeepingCommands } from './commands/housekeeping-command.js';
import { registerInviteCommand } from './commands/invite-command.js';
import { registerMeetingsCommands } from './commands/meetings-command.js';
import { registerRosterCommands } from './commands/roster-command.js';
import { registerStaffCommands } from './commands/staff-command.js';
import { registerTeamCommands } from './commands/team-command.js';
import { registerTicketCommands } from './commands/tickets-command.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LinliCommand } from './linli-command.js';
import { localisedHelp } from './linli-help.js';
import { LINLI_PROJECT_ROOT, type CliRuntime } from './linli-runtime.js';

function projectVersion(): string {
  return (JSON.parse(readFileSync(join(LINLI_PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Builds the program; `parseAsync(argv, { from: 'user' })` runs it. */
export function buildLinliProgram(runtime: CliRuntime): LinliCommand {
  const program = new LinliCommand('linli', (key, vars) => runtime.t(key, vars));
  program
    .description(runtime.t('cli.help.description'))
    .helpOption('-h, --help', runtime.t('cli.help.option_help'))
    .helpCommand('help [command]', runtime.t('cli.help.command_help'))
    .version(projectVersion(), '-V, --version', runtime.t('cli.help.option_version'))
    .configureHelp(localisedHelp((key, vars) => runtime.t(key, vars)))
    .configureOutput({
      writeOut: (text) => runtime.stdout.write(text),
      writeErr: (text) => runtime.stderr.write(text),
    })
    // Help after a usage error would bury the one line that says what is wrong.
    .showHelpAfterError(false)
    .exitOverride();
  registerRosterCommands(program, runtime);
  registerDemoCommands(program, runtime);
  registerStaffCommands(program, runtime);
  registerTeamCommands(program, runtime);
  registerInviteCommand(program, runtime);
  registerHouseholdCommands(program, runtime);
  registerBindingCommands(program, runtime);
  registerTicketCommands(program, runtime);
  registerHousekeepingCommands(program, runtime);
  registerFundCommands(program, runtime);
  registerMeetingsCommands(program, runtime);
  return program;
}


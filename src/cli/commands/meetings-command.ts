/**
 * `linli meetings …`: staff's meetings from the server's shell, acting as the operator (the
 * policy's `meeting.call`, refusals audited):
 *
 * - `list` — the meetings ahead, with how many were invited and how they answered;
 * - `call <type> <YYYY-MM-DDTHH:mm> <title> [--minutes n] [--place …] [--agenda "a;b"] [--reminders 24h,2h]`;
 * - `move <number> <YYYY-MM-DDTHH:mm> [--place …]` and `cancel <number> [--reason …]`.
 *
 * Times are the community's own (its time zone). Invitations, changes and cancellations are
 * written here and sent by the server's outbox sweep; its meetings sweep sets the reminders.
 */
import type { Command } from 'commander';
import { ButtonRegistry } from '../../buttons/button-registry.js';
import { declaredCapabilities } from '../../channels/known-channels.js';
import { meetingsDepsOf } from '../../features/meetings/schedule/meetings-deps.js';
import { parseOffsets } from '../../features/meetings/rules/reminders.js';
import { isMeetingType, MEETING_TYPES } from '../../features/meetings/rules/meeting-types.js';
import { localToInstant } from '../../features/meetings/rules/recurrence.js';
import { callMeeting, changeMeeting, type CallResult, type ChangeResult } from '../../features/meetings/schedule/call-meeting.js';
import { MeetingWords } from '../../features/meetings/schedule/meeting-words.js';
import { denialMessageKey } from '../../features/policy/denials.js';
import { AccountNotifier } from '../../notify/account-notifier.js';
import { deriveKey } from '../../security/derived-key.js';
import { resolveSecret } from '../../security/secret.js';
import { CliError, EXIT_USAGE } from '../linli-error.js';
import type { CliRuntime } from '../linli-runtime.js';
import { terminalText } from '../terminal-text.js';
import { OPERATOR } from './operator.js';

interface CallOptions {
  minutes: string;
  place?: string;
  agenda?: string;
  reminders?: string;
}

function instantOf(local: string, timezone: string): Date {
  const at = localToInstant(local, timezone);
  if (!at) throw new CliError('meetings.core.cli.invalid_time', {}, EXIT_USAGE);
  return at;
}

export function registerMeetingsCommands(program: Command, runtime: CliRuntime): void {
  const meetings = program.command('meetings').description(runtime.t('meetings.core.cli.help.meetings'));

  const depsFor = async () => {
    const handle = await runtime.community();
    const secret = resolveSecret(runtime.config.LINLI_SECRET, runtime.config.DATA_DIR);
    const buttons = new ButtonRegistry(secret);
    const notifier = new AccountNotifier({ translator: runtime.translator, buttons, capabilitiesOf: declaredCapabilities, now: () => runtime.now() });
    const deps = meetingsDepsOf(
      { prisma: handle.prisma, notifier, translator: runtime.translator, config: runtime.config, keyFor: (purpose) => deriveKey(secret, purpose), clock: () => runtime.now(), dataDir: runtime.config.DATA_DIR },
      // The server's meetings sweep sets the reminders of what is called here.
      { meetingChanged: () => undefined },
    );
    return { handle, deps };
  };

  const report = (result: CallResult | ChangeResult, number: string): void => {
    switch (result.status) {
      case 'called':
        return runtime.print(runtime.t('meetings.core.cli.called', { number: result.number, invited: result.invited }));
      case 'moved':
        return runtime.print(runtime.t('meetings.core.cli.moved', { number: result.number, told: result.told }));
      case 'cancelled':
        return runtime.print(runtime.t('meetings.core.cli.cancelled', { number: result.number, told: result.told }));
      case 'denied':
        throw new CliError(denialMessageKey(result.reason));
      case 'invalid':
        throw new CliError(result.problem === 'past' ? 'meetings.core.cli.past' : result.problem === 'duration' ? 'meetings.core.cli.invalid_duration' : 'meetings.core.cli.invalid_title', {}, EXIT_USAGE);
      case 'not_found':
        throw new CliError('meetings.core.cli.not_found', { number });
      case 'not_scheduled':
        throw new CliError('meetings.core.cli.not_scheduled', { number });
      case 'past':
        throw new CliError('meetings.core.cli.past', {}, EXIT_USAGE);
      case 'same':
        return runtime.print(runtime.t('meetings.core.cli.same'));
    }
  };

  meetings
    .command('list')
    .description(runtime.t('meetings.core.cli.help.list'))
    .action(async () => {
      const { prisma, communityId, timezone } = await runtime.community();
      const ahead = await prisma.meeting.findMany({
        where: { communityId, status: 'scheduled', startsAt: { gt: runtime.now() } },
        orderBy: { startsAt: 'asc' },
        select: { number: true, type: true, title: true, place: true, startsAt: true, endsAt: true, agenda: true, invitations: { select: { rsvp: true } } },
      });
      if (ahead.length === 0) return runtime.print(runtime.t('meetings.core.cli.list_empty'));
      const words = new MeetingWords(runtime.translator, runtime.locale, timezone);
      for (const meeting of ahead) {
        const count = (answer: string) => meeting.invitations.filter(({ rsvp }) => rsvp === answer).length;
        runtime.print(
          terminalText(
            runtime.t('meetings.core.cli.list_line', { ...words.vars(meeting), invited: meeting.invitations.length, attend: count('attend'), cannot: count('cannot'), maybe: count('maybe') }),
          ),
        );
      }
    });

  meetings
    .command('call')
    .description(runtime.t('meetings.core.cli.help.call'))
    .argument('<type>', runtime.t('meetings.core.cli.help.argument_type'))
    .argument('<when>', runtime.t('meetings.core.cli.help.argument_when'))
    .argument('<title>', runtime.t('meetings.core.cli.help.argument_title'))
    .option('--minutes <n>', runtime.t('meetings.core.cli.help.option_minutes'), '120')
    .option('--place <place>', runtime.t('meetings.core.cli.help.option_place'))
    .option('--agenda <items>', runtime.t('meetings.core.cli.help.option_agenda'))
    .option('--reminders <offsets>', runtime.t('meetings.core.cli.help.option_reminders'))
    .action(async (type: string, when: string, title: string, options: CallOptions) => {
      if (!isMeetingType(type)) throw new CliError('meetings.core.cli.invalid_type', { types: MEETING_TYPES.join(', ') }, EXIT_USAGE);
      const minutes = Number(options.minutes);
      const offsets = options.reminders === undefined ? undefined : parseOffsets(options.reminders);
      if (offsets === null || offsets?.length === 0) throw new CliError('meetings.core.cli.invalid_offsets', {}, EXIT_USAGE);
      const { handle, deps } = await depsFor();
      const startsAt = instantOf(when, handle.timezone);
      const result = await handle.prisma.$transaction(
        (tx) =>
          callMeeting(tx, deps, {
            communityId: handle.communityId,
            actor: OPERATOR,
            type,
            title,
            startsAt,
            durationMinutes: minutes,
            place: options.place?.trim() || null,
            agenda: (options.agenda ?? '').split(/[;；]/),
            ...(offsets ? { reminderOffsets: offsets } : {}),
          }),
        { timeout: 120_000, maxWait: 10_000 },
      );
      report(result, '');
    });

  meetings
    .command('move')
    .description(runtime.t('meetings.core.cli.help.move'))
    .argument('<number>', runtime.t('meetings.core.cli.help.argument_number'))
    .argument('<when>', runtime.t('meetings.core.cli.help.argument_when'))
    .option('--place <place>', runtime.t('meetings.core.cli.help.option_place'))
    .action(async (number: string, when: string, options: { place?: string }) => {
      const { handle, deps } = await depsFor();
      const startsAt = instantOf(when, handle.timezone);
      const result = await handle.prisma.$transaction(
        (tx) => changeMeeting(tx, deps, { communityId: handle.communityId, actor: OPERATOR, number, startsAt, ...(options.place?.trim() ? { place: options.place.trim() } : {}) }),
        { timeout: 120_000, maxWait: 10_000 },
      );
      report(result, number);
    });

  meetings
    .command('cancel')
    .description(runtime.t('meetings.core.cli.help.cancel'))
    .argument('<number>', runtime.t('meetings.core.cli.help.argument_number'))
    .option('--reason <reason>', runtime.t('meetings.core.cli.help.option_reason'))
    .action(async (number: string, options: { reason?: string }) => {
      const { handle, deps } = await depsFor();
      const result = await handle.prisma.$transaction(
        (tx) => changeMeeting(tx, deps, { communityId: handle.communityId, actor: OPERATOR, number, ...(options.reason?.trim() ? { reason: options.reason.trim() } : {}) }),
        { timeout: 120_000, maxWait: 10_000 },
      );
      report(result, number);
    });
}

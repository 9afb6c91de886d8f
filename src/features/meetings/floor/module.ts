/**
 * At the meeting (`meetingFloor`): check-in by button or by the room's code, attendance and the
 * quorum, motions and votes, the representatives' evaluation polls, petitions for an
 * extraordinary assembly, and the minutes. Its handler, in front of the staff inbox, takes the
 * staff chat's sitting commands and a person's check-in code, petition words and commands; its
 * button kind (`mf`) carries check-in, ballots and evaluation answers; its sweep (at start and
 * every quarter hour) closes the sittings nobody closed by the end of their day. Meetings themselves —
 * their calendar, invitations and answers — are the `meetings` module's.
 */
import { writeAnswer } from '../../../inbox/staff-posts.js';
import { transactionWithAfterCommit, finishCommitted } from '../../../db/after-commit.js';
import type { FeatureContext, FeatureModule } from '../../../modules/index.js';
import { ChatStaffAlerts } from '../../tickets/scheduling/staff-alerts.js';
import { floorButton } from './chat/floor-buttons.js';
import type { FloorChatDeps } from './chat/floor-chat-deps.js';
import { personFloorHandler, pressFloorButton } from './chat/person-floor-handler.js';
import { staffFloorHandler } from './chat/staff-floor-handler.js';
import { closeDueSittings } from './service/close-meeting.js';
import type { FloorDeps } from './service/floor-deps.js';

/** How often sittings nobody closed are looked for (each closes itself at the end of its day). */
const CLOSE_SWEEP_EVERY_MS = 15 * 60_000;

/** What the floor's services take, for this module and for the staff console alike. */
export function floorDepsFor(context: FeatureContext): FloorDeps {
  const now = () => context.clock?.() ?? new Date();
  return { translator: context.translator, staffAlerts: new ChatStaffAlerts({ textLimitOf: (channel) => context.channels.textLimitOf(channel), now }), ballotKey: context.keyFor('meeting-ballot'), now };
}

export const meetingFloor: FeatureModule = {
  name: 'meetingFloor',
  install(context) {
    const { prisma, communityId, translator, channels, outbox, events, logger, config } = context;
    const now = () => context.clock?.() ?? new Date();
    const textLimitOf = (channel: string) => channels.textLimitOf(channel);
    const deps: FloorChatDeps = {
      prisma,
      communityId,
      floor: floorDepsFor(context),
      messages: { translator, buttons: context.buttons, capabilitiesOf: (channel) => channels.capabilitiesIfHere(channel), now },
      events,
      outbox,
      textLimitOf,
    };
    context.buttons.register(floorButton, {
      handle: (press, chatPress) => pressFloorButton(deps, press, chatPress),
      async refuse(chatPress) {
        const { speaker, inbound } = chatPress;
        const committed = await transactionWithAfterCommit(prisma, async (tx) => {
          const community = await tx.community.findUniqueOrThrow({ where: { id: communityId }, select: { defaultLocale: true } });
          const text = translator.t(speaker.locale ?? community.defaultLocale, 'conversation.button_invalid');
          return writeAnswer(tx, communityId, { channel: inbound.channel, chatId: inbound.chatId, threadId: inbound.threadId, chatAccountId: speaker.chatAccountId }, text, textLimitOf);
        });
        await finishCommitted(committed, outbox, committed.value);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const sweep = async () => {
      try {
        await closeDueSittings({ prisma, floor: deps.floor, events, outbox, logger }, communityId);
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'closing sittings failed');
      }
    };
    return {
      // Listed before the staff inbox: the sitting's commands in the staff chat come here first.
      handler: (next) => staffFloorHandler(deps, personFloorHandler(deps, next)),
      async start() {
        if (!config.RUN_WORKERS) return;
        await sweep();
        timer = setInterval(() => void sweep(), CLOSE_SWEEP_EVERY_MS);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
      },
    };
  },
};

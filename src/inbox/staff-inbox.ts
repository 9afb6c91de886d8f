/**
 * The staff inbox in chat: takes every message from a staff chat and the inbox's commands from
 * anywhere, and hands everything else on to the conversation service unchanged. Its card and
 * binding request buttons come through the button registry (`src/buttons/`), verified, to the
 * handlers it registers there; a refused one is answered here with the inbox's words.
 *
 * In the staff chat:
 * - a command (`/claim 123`, `/resolve 123 已修好`…; in a ticket's topic or in reply to one of its
 *   messages the number may be left out) runs that action;
 * - a card's button runs its action, or — for actions that need words (assign, note, resolve,
 *   merge) — posts a prompt; the reply to the prompt supplies the words;
 * - any other text in a ticket's forum topic, in reply to any message of a ticket (plain group),
 *   or starting with `#<number>` (WeChat, also Telegram) is a reply to the resident;
 * - a binding request's Approve / Reject button, or `/approve 17 [household]` / `/reject 17`
 *   (the number may be left out in reply to the request's post), decides it through the identity
 *   feature's one way (`approveBindingRequestIn`: policy, audit, the person told, the line);
 * - `/resume_binding` lifts a community-wide pause of binding (`resumeBindingIn`: policy, audit);
 * - `/setup_staff_chat` and `/bind_group <purpose> [target]`, in any group, bind it (chat-binding.ts);
 * - `/phone` shows a ticket's reporter's (or, in reply to a request's post, the request's) full
 *   number to the staff member alone, in their private chat, through `revealPhone` (policy,
 *   audit); the staff chat only hears that it was sent;
 * - anything else is staff talking among themselves, and left alone.
 * Each action is checked against the policy with the sender's own roles (the chat account they
 * bound); a sender who is not staff, or a command or card button anywhere but the staff chat, is
 * refused politely and changes nothing.
 */
import type { CapabilitiesOf } from '../channels/known-channels.js';
import type { ChannelName, InboundMessage } from '../channels/types.js';
import type { ChatButtonPress, ChatButtons } from '../conversation/button-presses.js';
import type { Speaker } from '../conversation/conversation-service.js';
import type { MessageHandler } from '../conversation/router.js';
import { markSettled, settleInboundIn, type InboundReceipt } from '../conversation/inbound-records.js';
import { finishCommitted, transactionWithAfterCommit } from '../db/after-commit.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import type { EventPublisher } from '../events/index.js';
import { approveBindingRequestIn, rejectBindingRequestIn, type DecisionInput } from '../features/identity/binding-requests.js';
import { localMinute } from '../features/tickets/scheduling/local-format.js';
import { resumeBindingIn } from '../features/identity/binding-resume.js';
import type { Actor } from '../features/policy/actor.js';
import { denialMessageKey } from '../features/policy/denials.js';
import { checkAudited } from '../features/policy/audited-check.js';
import { loadActor } from '../features/policy/load-actor.js';
import { revealPhoneIn, revealRequestPhoneIn, type RevealPhoneResult } from '../features/privacy/reveal-phone.js';
import { formatTicketNumber, parseLeadingTicketReference, parseTicketNumber, type ParsedTicketNumber } from '../features/tickets/rules/ticket-number.js';
import { loadTicketSubject, publishTicketText, type TicketServiceDeps } from '../features/tickets/service/index.js';
import type { Translator, Vars } from '../i18n/translator.js';
import type { Logger } from '../log/logger.js';
import { refsOfPlatformMessage } from '../outbox/message-refs.js';
import type { OutboxDispatcher, QueuedOutboxRow } from '../outbox/outbox.js';
import { cardButton, requestButtons, REQUEST_BUTTONS, type CardButtonFields, type RequestDecision } from './card-buttons.js';
import { runStaffAction, staffNamed, POLICY_ACTION_OF, type StaffActionOutcome, type StaffTicketAction } from './staff-actions.js';
import { CHAT_PURPOSES, type ChatPurpose } from './bound-chats.js';
import { bindGroupChat, updateForumFlag, type BindGroupOutcome } from './chat-binding.js';
import type { StaffChatDirectory } from './staff-chat-directory.js';
import {
  parseStaffCommand,
  readActionRequest,
  readBindGroup,
  readRequestCommand,
  type ActionRequest,
  type RequestCommand,
  type StaffActionName,
  type StaffCommand,
} from './staff-commands.js';
import { staffPlaceOf } from './staff-place.js';
import { promptActionOf, writeAnswer, writeTicketPosts, type PromptAction, type StaffChatRef, type TextLimitOf } from './staff-posts.js';
import { topicName } from './ticket-card.js';
import { loadInboxCommunity, numberContext, wordsFor, type InboxCommunity } from './ticket-context.js';

export interface StaffInboxDeps {
  prisma: PrismaClient;
  communityId: string;
  translator: Translator;
  /** The app's buttons: the inbox registers its card and binding request buttons there. */
  buttons: ChatButtons;
  tickets: TicketServiceDeps;
  outbox: Pick<OutboxDispatcher, 'dispatch'>;
  directory: StaffChatDirectory;
  textLimitOf: TextLimitOf;
  /** What each channel can do: forums, force-reply prompts, which help staff get. */
  capabilitiesOf: CapabilitiesOf;
  logger: Logger;
  /**
   * The staff chat configuration fixes for a channel, if it does (`/setup_staff_chat` cannot move
   * it); '' when configured but not found yet.
   */
  configuredChatOf?: (channel: ChannelName) => string | undefined;
  /** Where binding request decisions are published (`binding_request.changed`: the staff chats' lines among its listeners). */
  events?: EventPublisher;
  now?: () => Date;
}

/** Longest one staff message's transaction may take (and wait for a connection). */
const TURN_TIMEOUT_MS = 20_000;

const PROMPT_KEYS: Record<PromptAction, string> = {
  assign: 'inbox.prompt.assign',
  note: 'inbox.prompt.note',
  resolve: 'inbox.prompt.resolve',
  merge: 'inbox.prompt.merge',
};

const REQUEST_PROBLEM_KEYS: Record<Extract<ActionRequest, { ok: false }>['problem'], string> = {
  no_ticket: 'inbox.answer.which_ticket',
  bad_number: 'inbox.answer.bad_number',
  text_missing: 'inbox.answer.text_missing',
  merge_target_missing: 'inbox.answer.merge_target_missing',
};

const REQUEST_COMMAND_PROBLEM_KEYS: Record<Extract<RequestCommand, { ok: false }>['problem'], string> = {
  no_request: 'inbox.answer.which_request',
  bad_request_number: 'inbox.answer.which_request',
};

const REFUSAL_KEYS: Record<string, string> = {
  not_allowed_in_status: 'inbox.error.not_allowed_in_status',
  already_claimed: 'inbox.error.already_claimed',
  merge_into_self: 'inbox.error.merge_into_self',
  merge_target_not_open: 'inbox.error.merge_target_not_open',
  version_conflict: 'inbox.error.busy',
};

const PURPOSE_KEYS: Record<ChatPurpose, string> = {
  staff: 'inbox.bind.purpose.staff',
  service_team: 'inbox.bind.purpose.service_team',
  household_group: 'inbox.bind.purpose.household_group',
  area: 'inbox.bind.purpose.area',
  community: 'inbox.bind.purpose.community',
};

/** Where a message was written: a ticket's thread (perhaps a prompt), or in reply to a binding request's post. */
interface Place {
  ticketId?: string;
  prompt?: PromptAction;
  request?: number;
}

/** Thrown inside a press's transaction when its button no longer applies: nothing it did is kept. */
class StaleButton extends Error {}

/** One message's handling inside its transaction. */
interface Turn {
  tx: Tx;
  speaker: Speaker;
  inbound: InboundMessage;
  community: InboxCommunity;
  locale: string;
  now: Date;
  rows: QueuedOutboxRow[];
  /** A staff chat bound or changed in this turn, to remember after commit. */
  bound?: StaffChatRef;
  /** A chat was bound or rebound in this turn: the directory reads the staff chats again after commit. */
  rebound?: boolean;
}

export class StaffInbox implements MessageHandler {
  constructor(
    private readonly deps: StaffInboxDeps,
    /** Where everything else goes (the conversation service). */
    private readonly next: MessageHandler,
  ) {
    // A refused press is answered where it was pressed, after the same checks as any press.
    const refuse = async (press: ChatButtonPress) => {
      await this.pressIn(press, (turn) => this.answer(turn, 'inbox.answer.button_invalid'));
    };
    deps.buttons.register(cardButton, {
      handle: (fields, press) => this.pressIn(press, (turn, actor, chat) => this.cardPressed(turn, actor, chat, fields)),
      refuse,
    });
    for (const decision of REQUEST_BUTTONS) {
      deps.buttons.register(requestButtons[decision], {
        handle: (fields, press) => this.pressIn(press, (turn, actor) => this.requestPressed(turn, actor, decision, fields.requestId)),
        refuse,
      });
    }
  }

  async handleMessage(speaker: Speaker, inbound: InboundMessage, receipt?: InboundReceipt): Promise<void> {
    const staffChat = inbound.chatType === 'group' ? this.deps.directory.find(inbound.channel, inbound.chatId) : undefined;
    const parsed = inbound.kind === 'text' ? parseStaffCommand(inbound.text) : null;
    // `/help` outside the staff chat is the resident's help, from the flows.
    const command = parsed?.name === 'help' && !staffChat ? null : parsed;
    if (!staffChat && !command) return this.next.handleMessage(speaker, inbound, receipt);
    await this.inTurn(speaker, inbound, receipt, (turn) => this.handle(turn, staffChat, command));
  }

  /**
   * A press of one of the inbox's buttons, verified by the button registry: run by `body` in the
   * staff chat with the sender's roles, like a command. 'stale' (a request's button, the request gone) undoes
   * the turn, and the registry answers the refusal.
   */
  private async pressIn(
    press: ChatButtonPress,
    body: (turn: Turn, actor: Actor, chat: StaffChatRef) => Promise<void | 'stale'>,
  ): Promise<void | 'stale'> {
    const { speaker, inbound, receipt } = press;
    const staffChat = inbound.chatType === 'group' ? this.deps.directory.find(inbound.channel, inbound.chatId) : undefined;
    try {
      await this.inTurn(speaker, inbound, receipt, async (turn) => {
        if (!staffChat) return this.answer(turn, 'inbox.answer.only_in_staff_chat');
        const staff = await this.staffIn(turn, staffChat);
        if (staff && (await body(turn, staff.actor, staff.chat)) === 'stale') throw new StaleButton();
      });
    } catch (error) {
      if (error instanceof StaleButton) return 'stale';
      throw error;
    }
  }

  /** One message handled in one transaction, its rows sent after commit. */
  private async inTurn(speaker: Speaker, inbound: InboundMessage, receipt: InboundReceipt | undefined, body: (turn: Turn) => Promise<void>): Promise<void> {
    const now = this.deps.now?.() ?? new Date();
    const committed = await transactionWithAfterCommit(
      this.deps.prisma,
      async (tx) => {
        // First: the message is handled by this transaction or not at all (a second turn of it
        // waits here, then finds it settled and rolls back).
        if (receipt) await settleInboundIn(tx, receipt);
        const community = await loadInboxCommunity(tx, this.deps.communityId);
        const current: Turn = { tx, speaker, inbound, community, locale: speaker.locale ?? community.defaultLocale, now, rows: [] };
        await body(current);
        return current;
      },
      // One action reads and writes a few dozen rows (ticket, event, audit, notices, the staff
      // chats' lines): more than Prisma's 5 s default allows on a busy embedded database.
      { timeout: TURN_TIMEOUT_MS, maxWait: TURN_TIMEOUT_MS },
    );
    markSettled(receipt);
    const turn = committed.value;
    if (turn.rebound) await this.deps.directory.refresh();
    else if (turn.bound) this.deps.directory.remember(turn.bound);
    await finishCommitted(committed, this.deps.outbox, turn.rows);
  }

  private async handle(turn: Turn, staffChat: StaffChatRef | undefined, command: StaffCommand | null): Promise<void> {
    const { inbound } = turn;
    if (command?.name === 'setup_staff_chat') return this.bind(turn, { ok: true, purpose: 'staff', target: undefined });
    if (command?.name === 'bind_group') return this.bind(turn, readBindGroup(command.args));
    if (!staffChat) return this.answer(turn, 'inbox.answer.only_in_staff_chat');
    const capabilities = this.deps.capabilitiesOf(inbound.channel);
    if (command?.name === 'help') {
      return this.answer(turn, staffPlaceOf(capabilities, staffChat) === 'numbered' ? 'inbox.answer.help_numbered' : 'inbox.answer.help_replies');
    }

    const staff = await this.staffIn(turn, staffChat);
    if (!staff) return;
    const { actor, chat } = staff;

    const place = await this.ticketOfPlace(turn, chat);
    if (command) return this.commanded(turn, actor, command, place);
    if (inbound.kind === 'photo' && inbound.photo && place.ticketId && !place.prompt) {
      // A photo in a ticket's thread (its caption the words) reaches the resident like a reply.
      return this.act(turn, actor, place.ticketId, 'reply', { text: inbound.text?.trim() ?? '', photos: [inbound.photo.ref] });
    }
    if (inbound.kind !== 'text' || !inbound.text?.trim()) {
      // A sticker, voice or file in a ticket's thread would not reach the resident: say so.
      if (place.ticketId && inbound.kind !== 'choice') await this.answer(turn, 'inbox.answer.only_text');
      return;
    }
    const text = inbound.text.trim();
    if (place.prompt && place.ticketId) return this.promptAnswered(turn, actor, place.prompt, place.ticketId, text);
    if (place.ticketId) return this.act(turn, actor, place.ticketId, 'reply', { text });
    const addressed = parseLeadingTicketReference(text, numberContext(turn.community, turn.now));
    if (!addressed) return;
    const ticketId = await this.findTicket(turn, addressed.number);
    if (!ticketId) return this.answer(turn, 'inbox.answer.not_found', { number: numberText(addressed.number) });
    if (addressed.rest === '') return this.answer(turn, 'inbox.answer.text_missing');
    return this.act(turn, actor, ticketId, 'reply', { text: addressed.rest });
  }

  /** The sender's roles in the staff chat (null for someone who is not staff: left alone), the forum flag kept true. */
  private async staffIn(turn: Turn, staffChat: StaffChatRef): Promise<{ actor: Actor; chat: StaffChatRef } | null> {
    const { inbound } = turn;
    // Whether a chat is a forum is learnt from its messages, where the channel's chats may be one.
    const capabilities = this.deps.capabilitiesOf(inbound.channel);
    const forum = capabilities.threads === 'topics' && inbound.forum === true;
    if (capabilities.threads === 'topics' && forum !== staffChat.isForum) {
      turn.bound = { ...staffChat, isForum: forum };
      await updateForumFlag(turn.tx, turn.community.id, turn.bound);
    }
    const actor = await loadActor(turn.tx, { chatAccountId: turn.speaker.chatAccountId }, { now: turn.now });
    return actor ? { actor, chat: turn.bound ?? staffChat } : null;
  }

  // ------------------------------------------------------------------ what was sent

  private async commanded(turn: Turn, actor: Actor, command: StaffCommand, place: Place): Promise<void> {
    if (command.name === 'setup_staff_chat' || command.name === 'bind_group' || command.name === 'help') return;
    if (command.name === 'approve' || command.name === 'reject') {
      const read = readRequestCommand(command.name, command.args, place.request !== undefined);
      if (!read.ok) return this.answer(turn, REQUEST_COMMAND_PROBLEM_KEYS[read.problem]);
      return this.decide(turn, actor, command.name, read.number ?? place.request!, read.householdCode);
    }
    if (command.name === 'resume_binding') return this.resumeBinding(turn, actor);
    if (command.name === 'phone') return this.phone(turn, actor, command.args, place);
    if (command.name === 'publish') return this.publish(turn, actor, command.args, place);
    return this.ticketCommand(turn, actor, command.name, command.args, place.ticketId);
  }

  private async ticketCommand(turn: Turn, actor: Actor, name: StaffActionName, args: string, implied: string | undefined): Promise<void> {
    const request = readActionRequest(name, args, implied !== undefined, numberContext(turn.community, turn.now));
    if (!request.ok) return this.answer(turn, REQUEST_PROBLEM_KEYS[request.problem]);
    const ticketId = request.ticket ? await this.findTicket(turn, request.ticket) : implied;
    if (!ticketId) return request.ticket ? this.answer(turn, 'inbox.answer.not_found', { number: numberText(request.ticket) }) : this.answer(turn, 'inbox.answer.ticket_gone');
    if (request.action === 'assign') return this.assign(turn, actor, ticketId, request.text);
    if (request.action === 'merge') {
      const into = request.into ? await this.findTicket(turn, request.into) : undefined;
      if (!into) return request.into ? this.answer(turn, 'inbox.answer.not_found', { number: numberText(request.into) }) : this.answer(turn, 'inbox.answer.ticket_gone');
      return this.act(turn, actor, ticketId, 'merge', { intoTicketId: into });
    }
    return this.act(turn, actor, ticketId, request.action, request.text !== '' ? { text: request.text } : {});
  }

  /** A binding request's button: its decision, unless the request is gone. */
  private async requestPressed(turn: Turn, actor: Actor, decision: RequestDecision, requestId: string): Promise<void | 'stale'> {
    const request = await turn.tx.bindingRequest.findFirst({ where: { id: requestId, communityId: turn.community.id }, select: { number: true } });
    if (!request) return 'stale';
    return this.decide(turn, actor, decision, request.number, null);
  }

  /** A card's button: its action, or — for an action that needs words — the prompt for them. */
  private async cardPressed(turn: Turn, actor: Actor, chat: StaffChatRef, fields: CardButtonFields): Promise<void> {
    const { action, ticketId } = fields;
    if (action === 'claim' || action === 'major' || action === 'reopen') return this.act(turn, actor, ticketId, action, {});
    // The words come with the reply to a prompt; ask only someone who may act at all.
    const subject = await loadTicketSubject(turn.tx, turn.community.id, ticketId);
    if (!subject) return this.answer(turn, 'inbox.answer.ticket_gone');
    const decision = await checkAudited(turn.tx, {
      communityId: turn.community.id,
      actor,
      action: POLICY_ACTION_OF[action],
      subject,
      target: { type: 'ticket', id: ticketId },
      now: turn.now,
    });
    if (!decision.allowed) return this.answer(turn, denialMessageKey(decision.reason));
    const ticket = await turn.tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { number: true, category: true } });
    const locale = turn.community.defaultLocale;
    const rows = await writeTicketPosts(
      turn.tx,
      turn.community.id,
      [
        {
          chat,
          ticketId,
          part: 'prompt',
          prompt: action,
          topicName: topicName(this.deps.translator, turn.community, ticket, locale),
          text: this.deps.translator.t(turn.locale, PROMPT_KEYS[action], { number: ticket.number }),
        },
      ],
      this.deps.textLimitOf,
      this.deps.capabilitiesOf,
    );
    turn.rows.push(...rows);
  }

  private async promptAnswered(turn: Turn, actor: Actor, prompt: PromptAction, ticketId: string, text: string): Promise<void> {
    if (prompt === 'assign') return this.assign(turn, actor, ticketId, text);
    if (prompt === 'merge') {
      const number = parseTicketNumber(text.split(/\s+/)[0] ?? '', numberContext(turn.community, turn.now));
      const into = number ? await this.findTicket(turn, number) : undefined;
      if (!into) return number ? this.answer(turn, 'inbox.answer.not_found', { number: numberText(number) }) : this.answer(turn, 'inbox.answer.bad_number');
      return this.act(turn, actor, ticketId, 'merge', { intoTicketId: into });
    }
    return this.act(turn, actor, ticketId, prompt, { text });
  }

  private async assign(turn: Turn, actor: Actor, ticketId: string, name: string): Promise<void> {
    const found = await staffNamed(turn.tx, turn.community.id, name, turn.now);
    if (found.length === 0) return this.answer(turn, 'inbox.answer.staff_not_found', { name });
    if (found.length > 1) return this.answer(turn, 'inbox.answer.staff_ambiguous', { name, count: found.length });
    return this.act(turn, actor, ticketId, 'assign', { assigneeId: found[0]!.id });
  }

  private async act(
    turn: Turn,
    actor: Actor,
    ticketId: string,
    action: StaffTicketAction,
    extra: { text?: string; photos?: string[]; assigneeId?: string; intoTicketId?: string },
  ): Promise<void> {
    const outcome = await runStaffAction(turn.tx, this.deps.tickets, { communityId: turn.community.id, actor, ticketId, action, actedIn: turn.inbound.channel, at: turn.now, ...extra });
    turn.rows.push(...(outcome.status === 'done' ? outcome.rows : []));
    await this.report(turn, outcome, extra.intoTicketId);
  }

  /** Tells the staff member what did not happen (what did shows as the ticket's line). */
  private async report(turn: Turn, outcome: StaffActionOutcome, intoTicketId: string | undefined): Promise<void> {
    switch (outcome.status) {
      case 'done':
        if (outcome.nobodyTold) await this.answer(turn, 'inbox.answer.nobody_to_tell', { number: outcome.number });
        return;
      case 'unchanged':
        return this.answer(turn, 'inbox.answer.nothing_changed', { number: outcome.number });
      case 'denied':
        return this.answer(turn, denialMessageKey(outcome.reason));
      case 'not_found':
        return this.answer(turn, 'inbox.answer.ticket_gone');
      case 'refused': {
        const ticket = await turn.tx.ticket.findFirst({
          where: { number: outcome.number, communityId: turn.community.id },
          select: { status: true, assignee: { select: { name: true } } },
        });
        const into = intoTicketId ? await turn.tx.ticket.findUnique({ where: { id: intoTicketId }, select: { number: true } }) : null;
        return this.answer(turn, REFUSAL_KEYS[outcome.error] ?? 'inbox.error.not_allowed_in_status', {
          number: outcome.number,
          status: ticket ? wordsFor(this.deps.translator, turn.community, turn.locale).status(ticket.status) : '',
          assignee: ticket?.assignee?.name ?? '',
          into: into?.number ?? '',
        });
      }
    }
  }

  // ------------------------------------------------------------------ binding requests

  /**
   * Approves or rejects a binding request the one way the identity feature has (the same as
   * `linli approve`): the policy with the sender's roles, the audit row, the person told, the staff
   * chats' line saying who decided. What did not happen is answered here.
   */
  private async decide(turn: Turn, actor: Actor, decision: RequestDecision, number: number, householdCode: string | null): Promise<void> {
    const input: DecisionInput = {
      communityId: turn.community.id,
      number,
      actor,
      notifier: this.deps.tickets.notifier,
      now: turn.now,
      ...(this.deps.events ? { events: this.deps.events } : {}),
    };
    const { outcome, rows } =
      decision === 'approve'
        ? await approveBindingRequestIn(turn.tx, { ...input, ...(householdCode !== null ? { householdCode } : {}) })
        : await rejectBindingRequestIn(turn.tx, input);
    turn.rows.push(...rows);
    switch (outcome.status) {
      case 'approved':
      case 'rejected':
        // The line in the staff chats says so.
        return;
      case 'denied':
        return this.answer(turn, denialMessageKey(outcome.reason));
      case 'not_found':
        return this.answer(turn, 'inbox.answer.request_not_found', { number });
      case 'already_decided':
        return this.answer(turn, outcome.decision === 'rejected' ? 'inbox.answer.request_already_rejected' : 'inbox.answer.request_already_approved', { number });
      case 'household_not_found':
        return this.answer(turn, 'inbox.answer.household_not_found', { code: householdCode ?? '' });
      case 'household_required':
        return this.answer(turn, 'inbox.answer.household_required', { number });
      case 'account_bound':
        return this.answer(turn, 'inbox.answer.request_account_bound', { number });
    }
  }

  /**
   * `/resume_binding`: lifts a community-wide pause of binding the one way the identity feature
   * has (the same as `linli binding resume`): policy with the sender's roles, audited.
   */
  private async resumeBinding(turn: Turn, actor: Actor): Promise<void> {
    const outcome = await resumeBindingIn(turn.tx, { communityId: turn.community.id, actor, now: turn.now });
    switch (outcome.status) {
      case 'resumed': {
        const { timezone } = await turn.tx.community.findUniqueOrThrow({ where: { id: turn.community.id }, select: { timezone: true } });
        return this.answer(turn, 'inbox.answer.binding_resumed', { until: localMinute(outcome.until, timezone) });
      }
      case 'not_paused':
        return this.answer(turn, 'inbox.answer.binding_not_paused');
      case 'denied':
        return this.answer(turn, denialMessageKey(outcome.reason));
    }
  }

  // ------------------------------------------------------------------ phone numbers

  /**
   * `/phone #123` (or `/phone` in a ticket's thread): the reporter's full number; `/phone` in reply
   * to a binding request's post: the number the request gave. Checked and audited by `revealPhone`;
   * the number goes to the staff member's own private chat, never to the shared staff chat.
   */
  private async phone(turn: Turn, actor: Actor, args: string, place: Place): Promise<void> {
    const word = args.split(/\s+/).find((part) => part !== '');
    if (word === undefined) {
      if (place.ticketId) return this.revealTicketPhone(turn, actor, place.ticketId);
      if (place.request !== undefined) return this.revealRequestPhone(turn, actor, place.request);
      return this.answer(turn, 'inbox.phone.which');
    }
    const number = parseTicketNumber(word, numberContext(turn.community, turn.now));
    if (!number) return this.answer(turn, 'inbox.answer.bad_number');
    const ticketId = await this.findTicket(turn, number);
    if (!ticketId) return this.answer(turn, 'inbox.answer.not_found', { number: numberText(number) });
    return this.revealTicketPhone(turn, actor, ticketId);
  }

  private async revealTicketPhone(turn: Turn, actor: Actor, ticketId: string): Promise<void> {
    const ticket = await turn.tx.ticket.findFirst({
      where: { id: ticketId, communityId: turn.community.id },
      select: { number: true, reporterId: true, reporter: { select: { name: true } } },
    });
    if (!ticket) return this.answer(turn, 'inbox.answer.ticket_gone');
    if (!ticket.reporterId || !ticket.reporter) return this.answer(turn, 'inbox.phone.no_reporter', { what: ticket.number });
    const result = await revealPhoneIn(turn.tx, {
      actor,
      residentId: ticket.reporterId,
      communityId: turn.community.id,
      now: turn.now,
      log: this.deps.logger,
    });
    return this.revealed(turn, result, ticket.number, ticket.reporter.name);
  }

  private async revealRequestPhone(turn: Turn, actor: Actor, number: number): Promise<void> {
    const request = await turn.tx.bindingRequest.findUnique({
      where: { communityId_number: { communityId: turn.community.id, number } },
      select: { name: true },
    });
    if (!request) return this.answer(turn, 'inbox.answer.request_not_found', { number });
    const result = await revealRequestPhoneIn(turn.tx, { actor, communityId: turn.community.id, number, now: turn.now, log: this.deps.logger });
    const what = this.deps.translator.t(turn.locale, 'inbox.phone.request', { number });
    return this.revealed(turn, result, what, request.name);
  }

  /** Sends a revealed number to the asker privately and says so in the staff chat; or answers why not. */
  private async revealed(turn: Turn, result: RevealPhoneResult, what: string, name: string): Promise<void> {
    if (!result.ok) return this.answer(turn, result.reason === 'not_found' ? 'inbox.phone.no_reporter' : denialMessageKey(result.reason), { what });
    if (result.phone === null) return this.answer(turn, 'inbox.phone.none_on_record', { what });
    const rows = await this.deps.tickets.notifier.write(turn.tx, {
      chatAccountId: turn.speaker.chatAccountId,
      key: 'inbox.phone.private',
      vars: { what, name, phone: result.phone },
    });
    turn.rows.push(...rows);
    return this.answer(turn, 'inbox.phone.sent', { what });
  }

  // ------------------------------------------------------------------ open data

  /** `/publish #123` (or `/publish` in a ticket's thread): the resident's words join the open data feed. */
  private async publish(turn: Turn, actor: Actor, args: string, place: Place): Promise<void> {
    const word = args.split(/\s+/).find((part) => part !== '');
    let ticketId = place.ticketId;
    if (word !== undefined) {
      const number = parseTicketNumber(word, numberContext(turn.community, turn.now));
      if (!number) return this.answer(turn, 'inbox.answer.bad_number');
      ticketId = await this.findTicket(turn, number);
      if (!ticketId) return this.answer(turn, 'inbox.answer.not_found', { number: numberText(number) });
    }
    if (!ticketId) return this.answer(turn, 'inbox.publish.which');
    const outcome = await publishTicketText(turn.tx, { communityId: turn.community.id, actor, ticketId, at: turn.now });
    switch (outcome.status) {
      case 'published':
        this.deps.logger.info({ ticketId }, 'ticket words released for open data');
        return this.answer(turn, 'inbox.publish.done', { number: outcome.number });
      case 'already':
        return this.answer(turn, 'inbox.publish.already', { number: outcome.number });
      case 'anonymous':
        return this.answer(turn, 'inbox.publish.anonymous', { number: outcome.number });
      case 'denied':
        return this.answer(turn, denialMessageKey(outcome.reason));
      case 'not_found':
        return this.answer(turn, 'inbox.answer.ticket_gone');
    }
  }

  // ------------------------------------------------------------------ binding chats

  /** `/setup_staff_chat`, `/bind_group <purpose> [target]`: binds the group it is sent in (chat-binding.ts). */
  private async bind(turn: Turn, read: ReturnType<typeof readBindGroup>): Promise<void> {
    const { inbound } = turn;
    const staff = read.ok && read.purpose === 'staff';
    if (inbound.chatType !== 'group') return this.answer(turn, staff ? 'inbox.setup.private' : 'inbox.bind.private');
    if (!read.ok) {
      const purposes = this.purposeList(turn);
      return read.problem === 'bad_purpose' ? this.answer(turn, 'inbox.bind.bad_purpose', { word: read.word ?? '', purposes }) : this.answer(turn, 'inbox.bind.usage', { purposes });
    }
    const actor = await loadActor(turn.tx, { chatAccountId: turn.speaker.chatAccountId }, { now: turn.now });
    if (!actor) return;
    const outcome = await bindGroupChat(turn.tx, {
      communityId: turn.community.id,
      actor,
      channel: inbound.channel,
      chatId: inbound.chatId,
      isForum: inbound.forum === true,
      configuredChatId: this.deps.configuredChatOf?.(inbound.channel),
      purpose: read.purpose,
      target: read.target,
      at: turn.now,
    });
    return this.bound(turn, read.purpose, outcome);
  }

  private async bound(turn: Turn, purpose: ChatPurpose, outcome: BindGroupOutcome): Promise<void> {
    const staff = purpose === 'staff';
    const name = this.deps.translator.t(turn.locale, PURPOSE_KEYS[purpose]);
    switch (outcome.status) {
      case 'denied':
        return this.answer(turn, denialMessageKey(outcome.reason));
      case 'configured':
        return this.answer(turn, staff ? 'inbox.setup.configured' : 'inbox.bind.configured');
      case 'already':
        turn.rebound = true;
        return this.answer(turn, staff ? 'inbox.setup.already' : 'inbox.bind.already', { purpose: name });
      case 'bound':
        turn.rebound = true;
        if (!staff) {
          await this.answer(turn, 'inbox.bind.done', { purpose: name });
          // Where the bot reads only what is addressed to it (Telegram's privacy mode), people there must know.
          if (this.deps.capabilitiesOf(turn.inbound.channel)?.groupHearing === 'addressed') return this.answer(turn, 'notices.send.bind.hears_addressed');
          return;
        }
        return this.answer(turn, outcome.chat.isForum ? 'inbox.setup.done_forum' : 'inbox.setup.done_group');
      case 'target_missing':
        return this.answer(turn, 'inbox.bind.target_missing', { purpose: name, code: purpose });
      case 'target_not_allowed':
        return this.answer(turn, 'inbox.bind.target_not_allowed', { purpose: name });
      case 'target_not_found':
        return this.answer(turn, 'inbox.bind.target_not_found', { purpose: name, target: outcome.target });
      case 'target_ambiguous':
        return this.answer(turn, 'inbox.bind.target_ambiguous', { target: outcome.target, count: outcome.count });
    }
  }

  /** The purposes a chat can be bound for, each with its code to type. */
  private purposeList(turn: Turn): string {
    return CHAT_PURPOSES.map((purpose) => this.deps.translator.t(turn.locale, 'inbox.bind.purpose_item', { code: purpose, name: this.deps.translator.t(turn.locale, PURPOSE_KEYS[purpose]) })).join('\n');
  }

  // ------------------------------------------------------------------ finding the ticket

  /**
   * The ticket a message is about by where it was written: its forum topic, or the message it
   * replies to, through that message's refs (src/outbox/message-refs.ts) — any message of a
   * ticket's thread (card, line, prompt for an action's words, an alert about it) is about the
   * ticket; a binding request's post or line about the request.
   */
  private async ticketOfPlace(turn: Turn, chat: StaffChatRef): Promise<Place> {
    const { inbound, tx } = turn;
    let ticketId: string | undefined;
    if (inbound.threadId) {
      const thread = await tx.staffThread.findFirst({
        where: { channel: inbound.channel, chatId: chat.chatId, topicId: inbound.threadId },
        select: { ticketId: true },
      });
      ticketId = thread?.ticketId;
    }
    if (!inbound.replyToMessageId) return ticketId ? { ticketId } : {};
    const refs = await refsOfPlatformMessage(tx, { channel: inbound.channel, chatId: chat.chatId, externalMessageId: inbound.replyToMessageId });
    const ticketRef = refs.find((ref) => ref.subjectKind === 'ticket');
    const prompt = ticketRef?.role === 'prompt' ? promptActionOf(ticketRef.action) : undefined;
    const found = ticketId ?? ticketRef?.subjectId;
    const requestRef = found ? undefined : refs.find((ref) => ref.subjectKind === 'binding_request');
    const request = requestRef
      ? await tx.bindingRequest.findFirst({ where: { id: requestRef.subjectId, communityId: turn.community.id }, select: { number: true } })
      : null;
    return { ...(found ? { ticketId: found } : {}), ...(prompt ? { prompt } : {}), ...(request ? { request: request.number } : {}) };
  }

  private async findTicket(turn: Turn, number: ParsedTicketNumber): Promise<string | undefined> {
    const text = numberText(number);
    if (!text) return undefined;
    const ticket = await turn.tx.ticket.findUnique({ where: { communityId_number: { communityId: turn.community.id, number: text } }, select: { id: true } });
    return ticket?.id;
  }

  // ------------------------------------------------------------------ answering

  /** A short answer where the message came from (its topic, in a forum), in the sender's language. */
  private async answer(turn: Turn, key: string, vars: Vars = {}): Promise<void> {
    const { inbound } = turn;
    const text = this.deps.translator.t(turn.locale, key, vars);
    const rows = await writeAnswer(
      turn.tx,
      turn.community.id,
      {
        channel: inbound.channel,
        chatId: inbound.chatId,
        threadId: inbound.threadId,
        // In a group the row is the group's: a failed send says nothing about this person.
        chatAccountId: inbound.chatType === 'group' ? null : turn.speaker.chatAccountId,
      },
      text,
      this.deps.textLimitOf,
    );
    turn.rows.push(...rows);
  }
}

function numberText(number: ParsedTicketNumber): string {
  try {
    return formatTicketNumber(number.prefix, number.year, number.seq);
  } catch {
    return '';
  }
}

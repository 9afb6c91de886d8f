/**
 * What an outbox row to a staff chat carries beside the message itself: which ticket it belongs
 * to and what part of the ticket's thread it is. The Telegram staff-thread sender
 * (staff-thread-channel.ts) reads it at send time to find — or open — the ticket's forum topic,
 * or the card to reply under; the inbox reads it back when staff reply to a prompt. A binding
 * request's post and lines carry the request's number instead (`request`), so a reply to the post
 * (`/approve`, `/phone`) is about that request. Channels ignore the extra fields; they are removed
 * before a Telegram send.
 */
import type { OutboundMessage } from '../channels/types.js';
import type { StaffActionName } from './staff-commands.js';

/** Actions whose words are asked for with a prompt after a button press. */
export type PromptAction = Extract<StaffActionName, 'assign' | 'note' | 'resolve' | 'merge'>;

export interface InboxTag {
  ticketId: string;
  /**
   * card: the ticket's first message (opens its topic in a forum); line: an event of the ticket;
   * prompt: asks staff for the words of an action; topic: closes or reopens the forum topic.
   */
  part: 'card' | 'line' | 'prompt' | 'topic';
  /** The staff chat is a forum: the message goes to the ticket's topic (opened if need be). */
  forum: boolean;
  /** The topic's name, should it have to be opened by this message. */
  topicName: string;
  /** For part `topic`. */
  topicOpen?: boolean;
  /** For part `prompt`. */
  prompt?: PromptAction;
}

/** A binding request's message in a staff chat: its post (with the buttons or the words to type), or a line after it. */
export interface RequestTag {
  number: number;
  part: 'post' | 'line';
}

/** An outbox payload to a staff chat. */
export interface InboxOutbound extends OutboundMessage {
  inbox?: InboxTag;
  request?: RequestTag;
}

/** The tag of a stored payload, if it has a well-formed one. */
export function inboxTagOf(payload: unknown): InboxTag | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const tag = (payload as { inbox?: unknown }).inbox;
  if (typeof tag !== 'object' || tag === null) return undefined;
  const { ticketId, part } = tag as Partial<InboxTag>;
  if (typeof ticketId !== 'string' || typeof part !== 'string') return undefined;
  return tag as InboxTag;
}

/** The binding request a stored payload is about, if it carries a well-formed tag. */
export function requestTagOf(payload: unknown): RequestTag | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const tag = (payload as { request?: unknown }).request;
  if (typeof tag !== 'object' || tag === null) return undefined;
  const { number, part } = tag as Partial<RequestTag>;
  if (typeof number !== 'number' || !Number.isInteger(number) || (part !== 'post' && part !== 'line')) return undefined;
  return { number, part };
}

/**
 * Message references: what a message we send is about — a subject (a ticket, a binding request;
 * to come: work orders, notices, meetings) and the message's role there (a ticket's card, line or
 * prompt, a request's post…). The outbox row stays the neutral message; the refs beside it are
 * how a reply or a button press in a chat finds its subject, and how a channel step that places
 * messages (the Telegram staff thread, src/inbox/staff-thread-channel.ts) learns what a row is.
 *
 * Refs are written by whoever writes the post, in the transaction that writes its outbox rows
 * (the rows and their refs commit together or not at all); never by a channel.
 *
 * Once sent, where a message went and its platform id are the outbox row's: delivery records
 * `externalMessageId` there anyway, and a ref points at the row rather than copying it. Copying
 * would add a write to every send (most messages have no ref at all: every send would still look
 * for one), while reading it back costs one join on a lookup that happens only when someone
 * replies — the outbox's (channel, chatId, externalMessageId) index answers "which of our
 * messages is platform message X in chat Y", and MessageRef's outboxId the rest.
 */
import type { PrismaClient, Tx } from '../db/prisma-types.js';

/** What a message can be about. Kinds to come: work_order, notice, meeting. */
export type SubjectKind = 'ticket' | 'binding_request';

/**
 * A message's part in its subject's thread. A ticket's: `card` (its first message), `line` (an
 * event), `prompt` (asks staff for an action's words), `topic` (opens or closes its forum topic),
 * `alert` (to the committee), `notice` (to one person). A binding request's: `post`, `line`.
 */
export type MessageRole = 'card' | 'line' | 'prompt' | 'topic' | 'post' | 'alert' | 'notice';

/** What one message is about. */
export interface MessageAbout {
  subjectKind: SubjectKind;
  subjectId: string;
  role: MessageRole;
  /** A prompt's action (assign, note…); a topic's `open` or `close`. */
  action?: string;
}

/** A ref as stored and read back. */
export interface MessageRefRead {
  subjectKind: string;
  subjectId: string;
  role: string;
  action: string | null;
}

/**
 * Writes refs for outbox rows just written in `tx` (the same transaction: rows and refs commit
 * together). `about` gives each row's ref by its place in `rows`; undefined: none.
 *
 * @example
 * const rows = await writeOutbox(tx, entries);
 * await writeMessageRefs(tx, rows, () => ({ subjectKind: 'ticket', subjectId: ticket.id, role: 'notice' }));
 */
export async function writeMessageRefs(
  tx: Tx,
  rows: readonly { id: string }[],
  about: (index: number) => MessageAbout | undefined,
): Promise<void> {
  const data = rows.flatMap((row, index) => {
    const ref = about(index);
    return ref ? [{ outboxId: row.id, subjectKind: ref.subjectKind, subjectId: ref.subjectId, role: ref.role, action: ref.action ?? null }] : [];
  });
  if (data.length > 0) await tx.messageRef.createMany({ data });
}

/**
 * What our message with platform id `externalMessageId` in a chat is about (a reply to it is
 * about the same): its refs, none when it has none or is not ours.
 *
 * @example
 * // a staff member's reply (an InboundMessage): what the message it answers is about
 * const refs = await refsOfPlatformMessage(tx, { channel: message.channel, chatId: message.chatId, externalMessageId: message.replyToMessageId });
 */
export async function refsOfPlatformMessage(
  db: Tx | PrismaClient,
  message: { channel: string; chatId: string; externalMessageId: string },
): Promise<MessageRefRead[]> {
  return db.messageRef.findMany({
    where: { outbox: { channel: message.channel, chatId: message.chatId, externalMessageId: message.externalMessageId } },
    orderBy: [{ outbox: { seq: 'desc' } }, { subjectKind: 'asc' }],
    select: { subjectKind: true, subjectId: true, role: true, action: true },
  });
}

/** The ref of one outbox row about a subject of `kind`, if it has one (what a sending step reads). */
export async function refOfOutboxRow(db: Tx | PrismaClient, outboxId: string, kind: SubjectKind): Promise<MessageRefRead | undefined> {
  const ref = await db.messageRef.findFirst({
    where: { outboxId, subjectKind: kind },
    select: { subjectKind: true, subjectId: true, role: true, action: true },
  });
  return ref ?? undefined;
}

/**
 * The platform id of the latest message sent to a chat about a subject in `role` (a binding
 * request's post, to answer under it); undefined while none has been sent.
 */
export async function sentMessageAbout(
  db: Tx | PrismaClient,
  about: Pick<MessageAbout, 'subjectKind' | 'subjectId' | 'role'>,
  chat: { channel: string; chatId: string },
): Promise<string | undefined> {
  const ref = await db.messageRef.findFirst({
    where: { ...about, outbox: { channel: chat.channel, chatId: chat.chatId, externalMessageId: { not: null } } },
    orderBy: { outbox: { seq: 'desc' } },
    select: { outbox: { select: { externalMessageId: true } } },
  });
  return ref?.outbox.externalMessageId || undefined;
}

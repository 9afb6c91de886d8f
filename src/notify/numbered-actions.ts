/**
 * A notice's buttons on a channel without buttons (WeChat): the notice shows them as numbered
 * lines, and their signed data is kept here as the account's pending numbered actions, so a reply
 * of just "1" presses the first through the button registry, as a tap would elsewhere
 * (docs/architecture.md, "Buttons"). One list per account: the next such notice replaces it.
 *
 * A number answers the latest numbered list the person was shown: these actions only while they
 * are newer than the last reply of the conversation that offered numbered choices (a flow step's,
 * `Conversation.numberedAt`), not expired, and typed in the chat the notice went to.
 */
import type { OutboundChoice } from '../channels/types.js';
import type { PrismaClient, Tx } from '../db/prisma-types.js';
import { sqlTimestamp, utcTimestamp } from '../db/sql.js';

/**
 * How long a notice's numbered buttons answer a typed number: a day. Later, "1" is more likely
 * meant for whatever the person is doing now than for a notice they have scrolled past, and goes
 * to the flow as any number does (the notice's text still names the command to type).
 */
export const NUMBERED_ACTIONS_EXPIRE_MS = 24 * 3_600_000;

/** Keeps the buttons of a notice just written to the account's private chat, replacing any before. */
export async function keepNumberedActions(tx: Tx, account: { id: string; chatId: string }, actions: readonly OutboundChoice[], writtenAt: Date): Promise<void> {
  await keepManyNumberedActions(tx, [{ account, actions }], writtenAt);
}

/** Accounts kept per statement (four parameters each, whatever their number). */
const KEEP_CHUNK = 1_000;

/**
 * {@link keepNumberedActions} for the notices of one bulk write, one statement per thousand
 * accounts: an account named twice keeps its last list, as if written one after the other.
 */
export async function keepManyNumberedActions(tx: Tx, kept: readonly { account: { id: string; chatId: string }; actions: readonly OutboundChoice[] }[], writtenAt: Date): Promise<void> {
  const last = new Map(kept.map((entry) => [entry.account.id, entry]));
  const entries = [...last.values()];
  for (let start = 0; start < entries.length; start += KEEP_CHUNK) {
    const chunk = entries.slice(start, start + KEEP_CHUNK);
    await tx.$executeRawUnsafe(
      `INSERT INTO "NumberedActions" ("chatAccountId", "chatId", "actions", "writtenAt")
       SELECT t.account_id, t.chat_id, t.actions, ${utcTimestamp('$4')}
         FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(account_id, chat_id, actions)
       ON CONFLICT ("chatAccountId") DO UPDATE SET "chatId" = EXCLUDED."chatId", "actions" = EXCLUDED."actions", "writtenAt" = EXCLUDED."writtenAt"`,
      chunk.map(({ account }) => account.id),
      chunk.map(({ account }) => account.chatId),
      chunk.map(({ actions }) => JSON.stringify(actions.map(({ label, data }) => ({ label, data })))),
      sqlTimestamp(writtenAt),
    );
  }
}

/** Where a number was typed, and when the person last saw numbered choices of a flow there. */
export interface NumberTyped {
  chatId: string;
  /** `Conversation.numberedAt`: null when no reply there offered numbered choices. */
  numberedAt: Date | null;
  now: Date;
}

/** The account's pending numbered actions as kept (whether they answer a number: {@link numberedActionsApply}). */
export async function keptNumberedActions(prisma: PrismaClient, chatAccountId: string): Promise<{ chatId: string; writtenAt: Date; actions: OutboundChoice[] } | null> {
  const kept = await prisma.numberedActions.findUnique({ where: { chatAccountId }, select: { chatId: true, writtenAt: true, actions: true } });
  return kept && { chatId: kept.chatId, writtenAt: kept.writtenAt, actions: kept.actions as unknown as OutboundChoice[] };
}

/** The rule: the notice's list is the latest the person saw in this chat, and fresh. */
export function numberedActionsApply(pending: { chatId: string; writtenAt: Date }, typed: NumberTyped): boolean {
  if (pending.chatId !== typed.chatId) return false;
  if (typed.now.getTime() - pending.writtenAt.getTime() > NUMBERED_ACTIONS_EXPIRE_MS) return false;
  return typed.numberedAt === null || pending.writtenAt > typed.numberedAt;
}

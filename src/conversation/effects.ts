/**
 * The registry through which flows reach features: a flow names an effect, the composition
 * root maps the name to a handler. Handlers run inside the conversation's transaction and
 * must use only `ctx.tx` (on the embedded database anything else waits on that transaction).
 */
import type { Tx } from '../db/prisma-types.js';
import type { ChatKind, Json } from './engine-types.js';

export interface EffectContext {
  tx: Tx;
  communityId: string;
  chatAccountId: string;
  conversationId: string;
  /** The person's language now, for effects that return text to show (lists of names, roles…). */
  locale: string;
  /** Where the person is writing from: private matters are never acted on in a group. */
  chat: ChatKind;
  /** The message's origin as its channel gave it (`InboundMessage.origin`); absent: the account is the origin. */
  origin?: string;
}

export type EffectHandler = (ctx: EffectContext, args: Record<string, Json>) => Promise<Json>;

/**
 * An effect that only reads (who am I, my data, a household's members): run afresh whenever
 * the flow reaches it and its result never stored in FlowEffect, since it may hold personal
 * data that must go when the person does. It lives only in the run's data while the run lasts.
 */
export interface ReadOnlyEffect {
  readOnly: true;
  run: EffectHandler;
}

export type EffectEntry = EffectHandler | ReadOnlyEffect;

export type EffectRegistry = ReadonlyMap<string, EffectEntry>;

/**
 * The registry through which flows reach features: a flow names an effect, the composition
 * root maps the name to a handler. Handlers run inside the conversation's transaction and
 * must use only `ctx.tx` (on the embedded database anything else waits on that transaction).
 */
import type { Tx } from '../db/prisma-types.js';
import type { Json } from './engine-types.js';

export interface EffectContext {
  tx: Tx;
  communityId: string;
  chatAccountId: string;
  conversationId: string;
}

export type EffectHandler = (ctx: EffectContext, args: Record<string, Json>) => Promise<Json>;

export type EffectRegistry = ReadonlyMap<string, EffectHandler>;

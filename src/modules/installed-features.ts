/**
 * The modules of one app taken together: the union of their effect declarations (what start-up
 * and `npm run flows:check` check flows against — the same function for both), and, once
 * installed, their contributions combined into the one registry, route list, photo check, staff
 * chat hooks, handler chain and start/stop the app wires.
 *
 * @example
 * const declared = declaredEffects(features);           // before anything is opened
 * const installed = await installFeatures(features, context);
 * const router = new Router({ …, handler: installed.handler(conversations) });
 */
import type { FastifyInstance } from 'fastify';
import type { EffectDeclarations } from '../conversation/effect-signature.js';
import type { EffectEntry, EffectRegistry } from '../conversation/effects.js';
import { assertEffectsDeclared } from '../conversation/flow-check.js';
import type { MessageHandler, RouterDeps } from '../conversation/router.js';
import type { FeatureContext, FeatureContribution, FeatureModule, StaffChatHooks, StartedChannels } from './feature-module.js';

/** Every effect the modules declare; two modules declaring one name is a mistake in the list. */
export function declaredEffects(modules: readonly FeatureModule[]): EffectDeclarations {
  const declared: Record<string, EffectDeclarations[string]> = {};
  const owner = new Map<string, string>();
  for (const module of modules) {
    for (const [name, signature] of Object.entries(module.effects ?? {})) {
      const other = owner.get(name);
      if (other) throw new Error(`effect "${name}" is declared by both ${other} and ${module.name}`);
      owner.set(name, module.name);
      declared[name] = signature;
    }
  }
  return declared;
}

export interface InstalledFeatures {
  /** Exactly the declared effects (checked when installed). */
  readonly effects: EffectRegistry;
  /** Every module's routes, in list order. */
  registerRoutes(http: FastifyInstance): void;
  /** Every module that checks photos must take it; undefined when none does. */
  readonly acceptPhoto: RouterDeps['acceptPhoto'];
  /** The staff chat hooks of the one module that keeps staff chats (nothing heard whole, nothing wrapped without one). */
  readonly staffChats: StaffChatHooks;
  /** The modules' handlers in front of `next`, the first listed outermost. */
  handler(next: MessageHandler): MessageHandler;
  start(channels: StartedChannels): Promise<void>;
  /** Reverse order of the list; each module stopped once, a failure logged and passed over. */
  stop(): Promise<void>;
  /** Every module's lines for the operator, in list order. */
  readyLines(address: string): Promise<string[]>;
}

/** Installs the modules in list order (listeners subscribe in that order) and combines what they add. */
export async function installFeatures(modules: readonly FeatureModule[], context: FeatureContext): Promise<InstalledFeatures> {
  const declared = declaredEffects(modules);
  const contributions: FeatureContribution[] = [];
  for (const module of modules) contributions.push(await module.install(context));

  const effects = new Map<string, EffectEntry>();
  for (const contribution of contributions) for (const [name, entry] of contribution.effects ?? []) effects.set(name, entry);
  // The flows were checked against the declarations: the handlers must be exactly those.
  assertEffectsDeclared(effects, declared);

  const photoChecks = contributions.flatMap((c) => (c.acceptPhoto ? [c.acceptPhoto] : []));
  const hooks = contributions.flatMap((c) => (c.staffChats ? [c.staffChats] : []));
  // The staff chats are one module's (the inbox): two would each wrap Telegram's delivery.
  if (hooks.length > 1) throw new Error('more than one module keeps staff chats');
  const staffChats = hooks[0];
  const stoppers = contributions.flatMap((c) => (c.stop ? [c.stop.bind(c)] : [])).reverse();

  return {
    effects,
    registerRoutes(http) {
      for (const contribution of contributions) contribution.routes?.(http);
    },
    acceptPhoto:
      photoChecks.length === 0
        ? undefined
        : async (sender, photo) => {
            for (const accept of photoChecks) if (!(await accept(sender, photo))) return false;
            return true;
          },
    staffChats: staffChats ?? { hearsAllIn: () => () => false, wrapThreads: (channel) => channel, followChatMoves: (_channel, inner) => inner },
    handler(next) {
      return contributions.reduceRight<MessageHandler>((inner, contribution) => (contribution.handler ? contribution.handler(inner) : inner), next);
    },
    async start(channels) {
      for (const contribution of contributions) await contribution.start?.(channels);
    },
    async readyLines(address) {
      const lines: string[] = [];
      for (const contribution of contributions) lines.push(...((await contribution.readyLines?.(address)) ?? []));
      return lines;
    },
    async stop() {
      for (const stop of stoppers.splice(0)) {
        await stop().catch((error: unknown) => context.logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'module stop failed'));
      }
    },
  };
}

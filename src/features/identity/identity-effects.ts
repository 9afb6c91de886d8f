/**
 * The identity effects flows call (names, arguments and their types declared in `module.ts`): binding with a
 * code, asking staff to be bound, who am I, unbinding, my data, remove me. Each returns a
 * `status` for the flow to branch on and, where a prompt shows something, the text already in
 * the person's language. Effects that only read are `ReadOnlyEffect`s: what they return (names,
 * addresses) is never stored beyond the run.
 */
import { tz } from '@date-fns/tz';
import { format } from 'date-fns/format';
import type { EffectContext, EffectEntry, EffectHandler } from '../../conversation/effects.js';
import type { Json } from '../../conversation/engine-types.js';
import type { EventPublisher } from '../../events/index.js';
import type { Translator } from '../../i18n/translator.js';
import type { Logger } from '../../log/logger.js';
import { loadActor } from '../policy/load-actor.js';
import { assertCan } from '../policy/policy.js';
import { ROLE_LABEL_KEYS } from '../community/vocabulary-labels.js';
import { CHANNEL_KEYS, myDataLines, renderMyData } from '../privacy/my-data-lines.js';
import { myDataSummary } from '../privacy/my-data.js';
import { removeResident } from '../privacy/remove-resident.js';
import { accountSummary, unbindAccount, type ChatOrder } from './account.js';
import { bindHouseholdMember, bindStatus, householdMembers, tryBindCode, type BindOutcome } from './bind-code.js';
import { DEFAULT_BIND_LIMITS, type BindLimits } from './bind-throttle.js';
import '../privacy/privacy-events.js';
import { createBindingRequest } from './binding-requests.js';
import { lookUpInviteCode } from './invite-codes.js';

export interface IdentityEffectDeps {
  translator: Translator;
  /** The community's time zone: "try again after 14:35" is said in local time. */
  timeZone: string;
  limits?: BindLimits;
  /**
   * Where `binding_request.changed` (each new request: the staff chat's post), `binding.closed`
   * (once per closing by the community-wide limit: the staff chat's alert) and `resident.removed`
   * (the removed person's photos deleted at once) are published, in the effect's transaction.
   */
  events?: EventPublisher;
  log?: Logger;
  now?: () => Date;
  /** How a person's channels are listed ("who am I"): the channels' declared order. */
  chatOrder?: ChatOrder;
}

/** The identity effects by name, ready for the composition root's registry. */
export function identityEffects(deps: IdentityEffectDeps): Map<string, EffectEntry> {
  const now = deps.now ?? (() => new Date());
  const limits = deps.limits ?? DEFAULT_BIND_LIMITS;
  const t = (ctx: EffectContext, key: string, vars?: Record<string, string | number>) => deps.translator.t(ctx.locale, key, vars);
  const label = (ctx: EffectContext, keys: Readonly<Record<string, string>>, word: string) => (keys[word] ? t(ctx, keys[word]) : word);
  const clock = (until: Date, at: Date) => ({
    until: format(until, 'HH:mm', { in: tz(deps.timeZone) }),
    minutes: Math.max(1, Math.ceil((until.getTime() - at.getTime()) / 60_000)),
  });

  /** A bind outcome as the flow branches on it: no names (the result is stored). */
  const outcome = (result: BindOutcome, at: Date): Json => {
    switch (result.status) {
      case 'invalid':
        return { status: 'invalid', tries: result.triesLeft };
      case 'locked':
      case 'paused':
        return { status: result.status, ...clock(result.until, at) };
      default:
        return { status: result.status };
    }
  };

  const readOnly = (run: EffectHandler): EffectEntry => ({ readOnly: true, run });

  return new Map<string, EffectEntry>([
    [
      'identity_bind_status',
      readOnly(async (ctx): Promise<Json> => {
        const at = now();
        const status = await bindStatus(ctx.tx, ctx.chatAccountId, at);
        if (status.status === 'locked' || status.status === 'paused') return { status: status.status, ...clock(status.until, at) };
        if (status.status === 'pending') return { status: 'pending', number: status.number };
        return { status: status.status };
      }),
    ],
    [
      'identity_check_code',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const at = now();
        const result = await tryBindCode(ctx.tx, {
          communityId: ctx.communityId,
          chatAccountId: ctx.chatAccountId,
          code: text(args.code),
          now: at,
          limits,
          origin: ctx.origin,
          ...(deps.events ? { events: deps.events } : {}),
          ...(deps.log ? { log: deps.log } : {}),
        });
        return outcome(result, at);
      },
    ],
    [
      'identity_household',
      readOnly(async (ctx, args): Promise<Json> => {
        const code = await lookUpInviteCode(ctx.tx, ctx.communityId, text(args.code), now());
        // Used or expired in the moment since it was checked: the flow says which.
        if (code.status !== 'valid' || !code.householdId) return { status: code.status === 'valid' ? 'unknown' : code.status, address: '', members: [] };
        const household = await householdMembers(ctx.tx, code.householdId);
        return {
          status: 'ok',
          address: household.address,
          members: household.members.map((member) => ({ value: member.id, label: member.name })),
        };
      }),
    ],
    [
      'identity_bind_member',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const at = now();
        const result = await bindHouseholdMember(ctx.tx, {
          communityId: ctx.communityId,
          chatAccountId: ctx.chatAccountId,
          code: text(args.code),
          residentId: text(args.member),
          now: at,
        });
        return outcome(result, at);
      },
    ],
    [
      'identity_request_binding',
      async (ctx, args): Promise<Json> => {
        privateOnly(ctx);
        const result = await createBindingRequest(ctx.tx, {
          communityId: ctx.communityId,
          chatAccountId: ctx.chatAccountId,
          name: text(args.name),
          address: text(args.address),
          phone: text(args.phone),
          ...(deps.events ? { events: deps.events } : {}),
        });
        if (result.status === 'already_bound') return { status: 'already_bound' };
        return { status: result.status, number: result.number };
      },
    ],
    [
      'identity_whoami',
      readOnly(async (ctx): Promise<Json> => {
        const summary = await accountSummary(ctx.tx, ctx.chatAccountId, deps.chatOrder);
        const platform = label(ctx, CHANNEL_KEYS, summary.channel);
        if (summary.status === 'visitor') return { status: 'visitor', platform };
        const separator = t(ctx, 'privacy.mydata.list_separator');
        return {
          status: 'bound',
          name: summary.name,
          address: summary.address ?? t(ctx, 'identity.whoami.no_address'),
          roles: summary.roles.length > 0 ? summary.roles.map((role) => label(ctx, ROLE_LABEL_KEYS, role)).join(separator) : t(ctx, 'identity.whoami.no_roles'),
          platforms: summary.channels.map((channel) => label(ctx, CHANNEL_KEYS, channel)).join(separator),
          platform,
        };
      }),
    ],
    [
      'identity_unbind',
      async (ctx): Promise<Json> => {
        privateOnly(ctx);
        return unbindAccount(ctx.tx, ctx.communityId, ctx.chatAccountId);
      },
    ],
    [
      'identity_my_data',
      readOnly(async (ctx): Promise<Json> => {
        privateOnly(ctx);
        const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
        if (!actor || actor.kind !== 'person') return { status: 'visitor', text: '' };
        assertCan(actor, 'resident.view_own_data', { communityId: ctx.communityId, residentId: actor.residentId });
        const summary = await myDataSummary(ctx.tx, actor.residentId, { now: now() });
        if (!summary) return { status: 'visitor', text: '' };
        const lines = myDataLines(summary, { timeZone: deps.timeZone });
        return { status: 'ok', text: renderMyData(lines, (key, vars) => deps.translator.t(ctx.locale, key, vars)) };
      }),
    ],
    [
      'identity_remove_me',
      async (ctx): Promise<Json> => {
        privateOnly(ctx);
        const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId });
        if (!actor || actor.kind !== 'person') return { status: 'visitor' };
        await removeResident(ctx.tx, { communityId: ctx.communityId, residentId: actor.residentId, actor, now: now() });
        await deps.events?.publish(ctx.tx, 'resident.removed', { communityId: ctx.communityId, residentId: actor.residentId });
        return { status: 'removed' };
      },
    ],
  ]);
}

/** The flows refuse these in groups already; an effect reached there anyway is a bug, not a binding. */
function privateOnly(ctx: EffectContext): void {
  if (ctx.chat === 'group') throw new Error('identity effects run only in private chats');
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

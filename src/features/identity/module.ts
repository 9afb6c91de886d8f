/**
 * The identity module: the binding and "about me" effects the flows call (identity-effects.ts),
 * publishing `binding_request.changed`, `binding.closed` (identity-events.ts) and
 * `resident.removed` on the app's bus. The staff side's decisions reach the same functions
 * through the staff inbox and the command line.
 */
import { EffectArg } from '../../conversation/effect-signature.js';
import type { FeatureModule } from '../../modules/index.js';
import { identityEffects } from './identity-effects.js';

export const identity: FeatureModule = {
  name: 'identity',
  // Every result has a `status`.
  effects: {
    /** Whether this account may try a code: `{ status: visitor | bound | locked, until?, minutes? }`. */
    identity_bind_status: { args: {}, readOnly: true },
    /**
     * Tries a typed code: `{ status: bound | household | used | expired | invalid (tries) |
     * malformed | locked (until, minutes) | already_bound }`. Wrong codes count toward the limit.
     */
    identity_check_code: { args: { code: EffectArg.text } },
    /**
     * A household code's address and members to pick from: `{ status: ok, address, members: [{ value, label }] }`,
     * or the code's state if it can no longer be used (used, expired, unknown).
     */
    identity_household: { args: { code: EffectArg.text }, readOnly: true },
    /** Binds as the member picked after a household code: `{ status }` as identity_check_code, not_member, or staff_member. */
    identity_bind_member: { args: { code: EffectArg.text, member: EffectArg.text } },
    /** Files a request to be bound: `{ status: created | pending | already_bound, number? }`. */
    identity_request_binding: { args: { name: EffectArg.text, address: EffectArg.text, phone: EffectArg.text } },
    /** Who the person is: `{ status: bound | visitor, name, address, roles, platforms, platform }` as text. */
    identity_whoami: { args: {}, readOnly: true },
    /** Unbinds this account only: `{ status: unbound | visitor }`. */
    identity_unbind: { args: {} },
    /** Everything kept about the person, as text: `{ status: ok | visitor, text }`. */
    identity_my_data: { args: {}, readOnly: true },
    /** Removes the person from the community's records: `{ status: removed | visitor }`. */
    identity_remove_me: { args: {} },
  },
  install: ({ translator, config, events, logger, channels }) => ({
    effects: identityEffects({
      translator,
      timeZone: config.COMMUNITY_TIMEZONE,
      events,
      log: logger,
      // "Who am I" lists a person's channels in the order the channels declare.
      chatOrder: (channel) => channels.declaredCapabilitiesOf(channel).chatOrder ?? Number.MAX_SAFE_INTEGER,
    }),
  }),
};

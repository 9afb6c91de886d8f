/**
 * Names of the effects a flow may call, with the arguments each takes. The conversation
 * service implements them; the flow loader only checks that flows call them correctly.
 */

/** What an effect takes: argument names a flow must give (and may not exceed). */
export interface EffectSignature {
  args: readonly string[];
  /** Only reads: run whenever reached, result never stored (see `ReadOnlyEffect`). */
  readOnly?: boolean;
}

/** The effects that exist today. Add one here when its implementation lands. */
export const KNOWN_EFFECTS = {
  /** Remembers the person's language: args `{ locale: "zh-CN" | "en" }`, returns `{ locale }`. */
  set_language: { args: ['locale'] },

  // Identity (src/features/identity/identity-effects.ts): every result has a `status`.
  /** Whether this account may try a code: `{ status: visitor | bound | locked, until?, minutes? }`. */
  identity_bind_status: { args: [], readOnly: true },
  /**
   * Tries a typed code: `{ status: bound | household | used | expired | invalid (tries) |
   * malformed | locked (until, minutes) | already_bound }`. Wrong codes count toward the limit.
   */
  identity_check_code: { args: ['code'] },
  /**
   * A household code's address and members to pick from: `{ status: ok, address, members: [{ value, label }] }`,
   * or the code's state if it can no longer be used (used, expired, unknown).
   */
  identity_household: { args: ['code'], readOnly: true },
  /** Binds as the member picked after a household code: `{ status }` as identity_check_code, or not_member. */
  identity_bind_member: { args: ['code', 'member'] },
  /** Files a request to be bound: `{ status: created | pending | already_bound, number? }`. */
  identity_request_binding: { args: ['name', 'address', 'phone'] },
  /** Who the person is: `{ status: bound | visitor, name, address, roles, platforms, platform }` as text. */
  identity_whoami: { args: [], readOnly: true },
  /** Unbinds this account only: `{ status: unbound | visitor }`. */
  identity_unbind: { args: [] },
  /** Everything kept about the person, as text: `{ status: ok | visitor, text }`. */
  identity_my_data: { args: [], readOnly: true },
  /** Removes the person from the community's records: `{ status: removed | visitor }`. */
  identity_remove_me: { args: [] },
} as const satisfies Record<string, EffectSignature>;

/**
 * Variables the service adds to every message it renders, so prompts may use them although no
 * step saves them.
 */
export const SERVICE_VARS = ['officePhone', 'communityName'] as const;

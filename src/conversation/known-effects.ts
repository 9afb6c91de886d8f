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

  // Tickets (src/features/tickets/service/ticket-effects.ts): every result has a `status`.
  /** Starting a complaint: `{ status, hasHome: yes|no, onBehalf: yes|no, categories: [{ value, label }] }`. */
  tickets_filing_start: { args: [], readOnly: true },
  /** A household code the person may file for: `{ status: ok | unknown, address? }`. */
  tickets_check_household: { args: ['code'], readOnly: true },
  /** Adds a photo to the collected ones: `{ list, count, full: yes|no, max }` (both null: an empty list). */
  tickets_collect_photo: { args: ['photos', 'photo'], readOnly: true },
  /** The complaint's summary in words: `{ text }`. */
  tickets_draft_summary: { args: ['for', 'household', 'kind', 'category', 'description', 'where', 'place', 'photos', 'anonymous', 'publish'], readOnly: true },
  /** Files it: `{ status: filed | denied | invalid, number?, expect? }`. */
  tickets_file: { args: ['for', 'household', 'kind', 'category', 'description', 'where', 'place', 'photos', 'anonymous', 'publish'] },
  /** The person's tickets, newest first: `{ status: ok | none, count, total, items: [{ value, label }] }`. */
  tickets_my_list: { args: [], readOnly: true },
  /** One ticket (by picked id or typed number): `{ status: open | resolved | closed | withdrawn | merged | not_found, id, number, text, mine, rateable, mergedInto }`. */
  tickets_view: { args: ['ticket', 'number'], readOnly: true },
  /** Adds a message or photo: `{ status: added | reopened | window_passed | closed | withdrawn | merged | not_open | not_yours | not_found | conflict, number }`. */
  tickets_add: { args: ['ticket', 'text', 'photo'] },
  /** Withdraws it: `{ status: withdrawn | not_open | … , number }`. */
  tickets_withdraw: { args: ['ticket'] },
  /** What to rate: `{ status: ok (ticket, number, resolution) | pick (items) | none | not_found | already_rated | not_rateable }`. */
  tickets_rating_target: { args: ['ticket', 'number'], readOnly: true },
  /** Records the rating of that resolution: `{ status: rated | stale | already_rated | invalid | not_found | conflict, number }`. */
  tickets_rate: { args: ['ticket', 'resolution', 'stars', 'solved', 'comment'] },
} as const satisfies Record<string, EffectSignature>;

/**
 * Variables the service adds to every message it renders, so prompts may use them although no
 * step saves them.
 */
export const SERVICE_VARS = ['office', 'communityName'] as const;

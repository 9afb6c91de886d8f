/**
 * Who is looking at a staff console page, and the words they read it in. Every part of the
 * console (inbox, requests, people, figures) gets these from the signed-in session; services take
 * the `actor` and check the policy with it, views take `t`.
 */
import type { Actor } from '../../features/policy/actor.js';
import type { Vars } from '../../i18n/translator.js';

/** A person actor (staff sign in as themselves; the policy decides what each may do). */
export type PersonActor = Extract<Actor, { kind: 'person' }>;

export interface StaffViewer {
  actor: PersonActor;
  residentId: string;
  /** The staff member's own name, shown unmasked to themselves. */
  name: string;
  /** The page language: the staff member's choice, else the browser's, else the community's. */
  locale: string;
  /** The community's IANA time zone: dates are shown and periods counted in it. */
  timezone: string;
}

/** A locale's words, already bound to the viewer's language. */
export type Translate = (key: string, vars?: Vars) => string;

/**
 * The privacy feature's events (src/events/): a person removed from the community's records, so
 * what must follow the commit (their photos' files deleted at once, not at the next sweep) can
 * listen without the code that removed them knowing it.
 */
declare module '../../events/app-events.js' {
  interface AppEvents {
    /** A resident was removed (`removeResident`) in this transaction. */
    'resident.removed': { communityId: string; residentId: string };
  }
}

export {};

/**
 * The names of the events that happen inside a change's transaction, each with its payload (ids
 * and codes only: a listener re-reads what it needs with the same `tx`). The map starts empty here
 * and each feature adds its own events beside its code (`declare module` on this file, e.g.
 * `src/features/tickets/service/ticket-events-map.ts`), so the bus knows no feature and a
 * feature's events are declared where they are published.
 *
 * @example
 * declare module '../../events/app-events.js' {
 *   interface AppEvents { 'ticket.changed': TicketChange }
 * }
 */
export interface AppEvents {}

/** Every event name some feature declared. */
export type AppEventName = keyof AppEvents & string;

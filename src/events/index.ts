/** The in-transaction event bus (event-bus.ts) and the map of event names features fill (app-events.ts). */
export type { AppEventName, AppEvents } from './app-events.js';
export { EventBus, NO_EVENTS, type CommittedListener, type EventListener, type EventPublisher, type EventSubscriber } from './event-bus.js';

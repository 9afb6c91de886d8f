/**
 * How staff point at a ticket (or a request) in a staff chat, from what its channel can do: in
 * its forum topic, by replying to one of its messages, or by typing its number (`#123 …`). The
 * card's hint, the request post's hint and `/help` are chosen by it.
 */
import type { ChannelCapabilities } from '../channels/types.js';

export type StaffPlace = 'forum' | 'replies' | 'numbered';

export function staffPlaceOf(capabilities: Pick<ChannelCapabilities, 'threads'>, chat: { isForum: boolean }): StaffPlace {
  if (capabilities.threads === 'topics' && chat.isForum) return 'forum';
  return (capabilities.threads ?? 'none') === 'none' ? 'numbered' : 'replies';
}

/**
 * Finds where a chat id points on WeChat: a room (group chat) or a contact. Puppets write room
 * ids differently (`…@chatroom` on the pad/hook protocols, `@@…` on the web protocol), so the
 * id's shape only decides which lookup comes first; the other is tried when the first misses.
 */
import type { Contact, Room, Wechaty } from 'wechaty';

/** Whether an id looks like a WeChat room id on any common puppet. */
export function looksLikeRoomId(id: string): boolean {
  return id.endsWith('@chatroom') || id.startsWith('@@');
}

export async function findSendTarget(bot: Wechaty, chatId: string): Promise<Contact | Room | undefined> {
  const room = () => bot.Room.find({ id: chatId });
  const contact = () => bot.Contact.find({ id: chatId });
  const [first, second] = looksLikeRoomId(chatId) ? [room, contact] : [contact, room];
  return (await first()) ?? (await second());
}

/** Choosing recipients: one per person or per household, each chat once, a private message kept when the person is also in a group chat. */
import { describe, expect, it } from 'vitest';
import { audienceSchema, countRecipients, pickRecipients, reachesGroupChats, type AudienceMember } from '../../../../src/features/notices/rules/audience.js';

const account = (id: string, channel = 'kite', locale = 'zh-CN') => ({ chatAccountId: id, channel, chatId: `chat-${id}`, locale });
const member = (residentId: string, householdId: string | null, ...accounts: ReturnType<typeof account>[]): AudienceMember => ({ residentId, householdId, accounts });

// Household h1: two members with accounts and one without; h2: one member without any account; a staff member with no household.
const members = [
  member('ann', 'h1', account('ann-1'), account('ann-2', 'other')),
  member('bo', 'h1', account('bo-1')),
  member('cy', 'h1'),
  member('di', 'h2'),
  member('ed', null, account('ed-1')),
];
const chats = [
  { channel: 'kite', chatId: 'group-lane', locale: 'zh-CN' },
  { channel: 'kite', chatId: 'group-lane', locale: 'zh-CN' },
  { channel: 'kite', chatId: 'group-court', locale: 'en' },
];

describe('pickRecipients', () => {
  it('one message per person, to their first account, and each bound chat once', () => {
    const recipients = pickRecipients(members, chats, { via: 'both', perHousehold: false });
    expect(recipients.map((r) => r.chatId)).toEqual(['chat-ann-1', 'chat-bo-1', 'chat-ed-1', 'group-lane', 'group-court']);
    expect(countRecipients(members, recipients, false)).toEqual({ people: 3, households: 1, chats: 2, unreachable: 2 });
  });

  it('one per household: its first member with a reachable account; a person without a household counts alone', () => {
    const recipients = pickRecipients(members, chats, { via: 'private', perHousehold: true });
    expect(recipients.map((r) => r.chatId)).toEqual(['chat-ann-1', 'chat-ed-1']);
    expect(countRecipients(members, recipients, true)).toEqual({ people: 2, households: 1, chats: 0, unreachable: 1 });
  });

  it('per household skips a member without accounts and takes the next', () => {
    const household = [member('cy', 'h1'), member('bo', 'h1', account('bo-1'))];
    expect(pickRecipients(household, [], { via: 'private', perHousehold: true }).map((r) => r.chatId)).toEqual(['chat-bo-1']);
  });

  it('groups only: no private message', () => {
    expect(pickRecipients(members, chats, { via: 'groups', perHousehold: true }).map((r) => r.chatId)).toEqual(['group-lane', 'group-court']);
  });

  it('a person reached in a group chat still gets their private message; a chat that is also a private chat is written once', () => {
    const sharedChat = [{ channel: 'kite', chatId: 'chat-ann-1', locale: 'zh-CN' }];
    const recipients = pickRecipients(members.slice(0, 1), sharedChat, { via: 'both', perHousehold: false });
    expect(recipients).toEqual([expect.objectContaining({ kind: 'private', chatId: 'chat-ann-1' })]);
  });

  it('two members sharing one account (one phone): the second gets their next account, or none', () => {
    const shared = [member('ann', 'h1', account('phone')), member('bo', 'h1', account('phone'), account('bo-2'))];
    expect(pickRecipients(shared, [], { via: 'private', perHousehold: false }).map((r) => r.chatId)).toEqual(['chat-phone', 'chat-bo-2']);
  });
});

describe('the audience as chosen', () => {
  it('must name someone', () => {
    expect(audienceSchema.safeParse({}).success).toBe(false);
    expect(audienceSchema.safeParse({ areaIds: [] }).success).toBe(false);
    expect(audienceSchema.safeParse({ everyone: true }).success).toBe(true);
    expect(audienceSchema.safeParse({ priority: true }).success).toBe(true);
    expect(audienceSchema.safeParse({ roles: ['steward'] }).success).toBe(true);
  });
  it('refuses unknown roles and stray fields', () => {
    expect(audienceSchema.safeParse({ roles: ['king'] }).success).toBe(false);
    expect(audienceSchema.safeParse({ everyone: true, text: 'x' }).success).toBe(false);
  });
  it('reaches group chats only when chosen by place', () => {
    expect(reachesGroupChats({ everyone: true })).toBe(true);
    expect(reachesGroupChats({ areaIds: ['a'], groupIds: ['g'] })).toBe(true);
    expect(reachesGroupChats({ areaIds: ['a'], priority: true })).toBe(false);
    expect(reachesGroupChats({ roles: ['liaison'] })).toBe(false);
  });
});

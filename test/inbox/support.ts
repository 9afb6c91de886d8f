/**
 * People for the staff inbox tests, in a real database: an area with a household (a resident with
 * a phone and priority flags), a committee member, the area's steward and a neighbour who is no
 * staff; chat accounts bound to them; tickets filed through the ticket service; a visitor asking
 * to be bound through the request flow.
 */
import { finishCommitted, transactionWithAfterCommit } from '../../src/db/after-commit.js';
import type { App } from '../../src/app.js';
import type { ChannelName } from '../../src/channels/types.js';
import type { PrismaClient } from '../../src/db/prisma-types.js';
import { loadActor } from '../../src/features/policy/load-actor.js';
import { fileTicket } from '../../src/features/tickets/service/index.js';
import { ticketServiceOf } from '../../src/features/tickets/module.js';
import { button, type WebPerson } from '../support/app.js';

export interface InboxPeople {
  areaId: string;
  householdId: string;
  residentId: string;
  neighbourId: string;
  chairId: string;
  stewardId: string;
}

let counter = 0;

/** A zone with one household of two (the resident and a neighbour in the next house), and staff. */
export async function seedInboxPeople(prisma: PrismaClient, communityId: string): Promise<InboxPeople> {
  counter += 1;
  const zone = `团结片区${counter}`;
  const area = await prisma.area.create({ data: { communityId, name: zone, path: zone, depth: 1 } });
  const household = await prisma.household.create({
    data: { communityId, code: `T${counter}-01`, address: `团结巷${counter}号`, areaId: area.id, flags: ['elderly', 'disabled'] },
  });
  const otherHome = await prisma.household.create({ data: { communityId, code: `T${counter}-02`, address: `团结巷${counter}号之二`, areaId: area.id } });
  const resident = await prisma.resident.create({ data: { communityId, householdId: household.id, name: '王秀英', phone: '13812345678' } });
  const neighbour = await prisma.resident.create({ data: { communityId, householdId: otherHome.id, name: '赵小明', phone: '13900001111' } });
  const chair = await prisma.resident.create({ data: { communityId, name: '李主任', phone: '13700002222' } });
  const steward = await prisma.resident.create({ data: { communityId, name: '张网格', phone: '13600003333' } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: chair.id, role: 'committee' } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: steward.id, role: 'steward', areaId: area.id } });
  return { areaId: area.id, householdId: household.id, residentId: resident.id, neighbourId: neighbour.id, chairId: chair.id, stewardId: steward.id };
}

/** A chat account on a channel bound to a resident (as binding in chat would leave it). */
export async function bindAccount(prisma: PrismaClient, communityId: string, channel: ChannelName, externalId: string, residentId: string): Promise<string> {
  const account = await prisma.chatAccount.create({ data: { communityId, channel, externalId, residentId, boundAt: new Date(), locale: 'zh-CN' } });
  return account.id;
}

/** Files a complaint for the resident's own household through the ticket service, and sends its messages. */
export async function fileComplaint(app: App, residentId: string, description: string): Promise<{ ticketId: string; number: string }> {
  const prisma = app.database.prisma;
  const actor = await loadActor(prisma, { residentId });
  if (!actor) throw new Error('no such resident');
  // As a chat turn files it: the card and notices go to the queue right after the commit.
  const committed = await transactionWithAfterCommit(prisma, (tx) =>
    fileTicket(tx, ticketServiceOf(app), {
      communityId: app.communityId,
      actor,
      kind: 'complaint',
      category: 'environment_sanitation',
      description,
      filerAnsweredInChat: true,
    }),
  );
  const filed = committed.value;
  await finishCommitted(committed, app.outbox, filed.rows);
  return { ticketId: filed.ticketId, number: filed.number };
}

/**
 * A visitor on the web chat asks to be bound without a code, through the menu's request flow
 * (name, address, phone, confirm), as a person would; returns the request's number.
 */
export async function askToBeBound(person: WebPerson, fields: { name: string; address: string; phone: string }): Promise<number> {
  const [menu] = await person.ask('你好');
  const [account] = await person.pressAndWait(button(menu, '我的账户'));
  await person.pressAndWait(button(account, '申请绑定'), 2);
  await person.ask(fields.name);
  await person.ask(fields.address);
  const [review] = await person.ask(fields.phone);
  const [done] = await person.pressAndWait(button(review, '确认'), 2);
  const number = Number(/编号(\d+)/.exec(done?.text ?? '')?.[1]);
  if (!Number.isInteger(number) || number < 1) throw new Error('the request flow gave no number');
  return number;
}

/**
 * A small community for the scheduling tests, written straight into the database: a zone and a
 * lane, a steward of the zone with a web chat account, a committee member, the staff chat (a
 * Telegram group), households, and tickets created as the ticket service would store them.
 */
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../../../src/db/prisma-types.js';
import { seedCommunity } from '../../../support/community.js';

export const STAFF_CHAT_ID = '-100777';

export interface SeededCommunity {
  communityId: string;
  zoneId: string;
  laneId: string;
  stewardId: string;
  stewardAccountId: string;
  stewardChatId: string;
  committeeId: string;
  householdId: string;
  priorityHouseholdId: string;
}

/** Ticket settings for fast tests: a `fast` category whose first response is due in one minute. */
export const FAST_SETTINGS = {
  timezone: 'Asia/Shanghai',
  forumAnchor: '2026-01-08T19:00:00+08:00',
  categories: [
    {
      code: 'fast',
      firstResponse: '1m',
      resolution: '10m',
      priority: { firstResponse: '1m', resolution: '5m' },
      businessHours: false,
      publicListing: true,
      label: { 'zh-CN': '快办', en: 'Quick fix' },
    },
    { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '4h', resolution: '3d' } },
  ],
};

export async function seedTicketCommunity(
  prisma: PrismaClient,
  options: { communityId?: string; ticketSettings?: object; staffChat?: boolean } = {},
): Promise<SeededCommunity> {
  const communityId = options.communityId ?? (await seedCommunity(prisma, { name: '团结路社区' })).id;
  await prisma.community.update({ where: { id: communityId }, data: { ticketSettings: options.ticketSettings ?? FAST_SETTINGS } });
  const zone = await prisma.area.create({ data: { communityId, name: '平房区', path: '平房区', depth: 1 } });
  const lane = await prisma.area.create({ data: { communityId, parentId: zone.id, name: '团结巷', path: '平房区/团结巷', depth: 2 } });
  const household = await prisma.household.create({ data: { communityId, code: 'H-1', address: '团结巷 3 号', areaId: lane.id } });
  const priority = await prisma.household.create({ data: { communityId, code: 'H-2', address: '团结巷 5 号', areaId: lane.id, flags: ['elderly'] } });
  const steward = await prisma.resident.create({ data: { communityId, name: '王干部', phone: '13800000001' } });
  const committee = await prisma.resident.create({ data: { communityId, name: '李主任', phone: '13800000002' } });
  // Roles held since long before any test's clock: a day before the wall clock would start
  // after a fake clock set on a fixed date once that date is a day past.
  const since = new Date('2025-12-31T00:00:00Z');
  await prisma.roleAssignment.create({ data: { communityId, residentId: steward.id, role: 'steward', areaId: zone.id, startsOn: since } });
  await prisma.roleAssignment.create({ data: { communityId, residentId: committee.id, role: 'committee', startsOn: since } });
  const stewardChatId = randomBytes(8).toString('hex');
  const account = await prisma.chatAccount.create({
    data: { communityId, channel: 'web', externalId: stewardChatId, residentId: steward.id, boundAt: since, locale: 'en' },
  });
  if (options.staffChat ?? true) await prisma.boundChat.create({ data: { communityId, purpose: 'staff', channel: 'telegram', chatId: STAFF_CHAT_ID } });
  return {
    communityId,
    zoneId: zone.id,
    laneId: lane.id,
    stewardId: steward.id,
    stewardAccountId: account.id,
    stewardChatId,
    committeeId: committee.id,
    householdId: household.id,
    priorityHouseholdId: priority.id,
  };
}

let seq = 0;

export interface TicketInput {
  category?: string;
  kind?: string;
  status?: string;
  createdAt?: Date;
  firstResponseDueAt: Date;
  resolutionDueAt?: Date | null;
  publicResolutionDueAt?: Date | null;
  firstRespondedAt?: Date | null;
  major?: boolean;
  version?: number;
  assigneeId?: string | null;
  householdId?: string | null;
  areaId?: string | null;
  anonymous?: boolean;
  publishText?: boolean;
  description?: string;
  placeText?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  finishedAt?: Date | null;
  resolvedAt?: Date | null;
  resolvedById?: string | null;
  rating?: number | null;
  ratedAt?: Date | null;
  solved?: boolean | null;
  reporterId?: string | null;
  escalationsDone?: string[];
}

/** A ticket row as the ticket service stores it; returns its id and number. */
export async function createTicket(prisma: PrismaClient, communityId: string, input: TicketInput): Promise<{ id: string; number: string }> {
  seq += 1;
  const number = `MQ-2026-${String(seq).padStart(5, '0')}-${randomBytes(2).toString('hex')}`;
  const ticket = await prisma.ticket.create({
    data: {
      communityId,
      number,
      year: 2026,
      seq,
      kind: input.kind ?? 'complaint',
      category: input.category ?? 'fast',
      status: input.status ?? 'new',
      description: input.description ?? '路灯坏了',
      householdId: input.householdId ?? null,
      areaId: input.areaId ?? null,
      placeText: input.placeText ?? null,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      anonymous: input.anonymous ?? false,
      publishText: input.publishText ?? false,
      reporterId: input.reporterId ?? null,
      assigneeId: input.assigneeId ?? null,
      major: input.major ?? false,
      firstResponseDueAt: input.firstResponseDueAt,
      resolutionDueAt: input.resolutionDueAt ?? null,
      publicResolutionDueAt: input.publicResolutionDueAt ?? null,
      firstRespondedAt: input.firstRespondedAt ?? null,
      finishedAt: input.finishedAt ?? null,
      resolvedAt: input.resolvedAt ?? null,
      resolvedById: input.resolvedById ?? null,
      rating: input.rating ?? null,
      ratedAt: input.ratedAt ?? null,
      solved: input.solved ?? null,
      escalationsDone: input.escalationsDone ?? [],
      version: input.version ?? 0,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    },
    select: { id: true, number: true },
  });
  return ticket;
}

/** The texts written to the outbox for one chat, oldest first. */
export async function outboxTexts(prisma: PrismaClient, chatId: string, communityId?: string): Promise<Array<{ text: string; ticketId: string | null }>> {
  const rows = await prisma.outboxMessage.findMany({
    where: { chatId, ...(communityId ? { communityId } : {}) },
    orderBy: { seq: 'asc' },
    select: { payload: true, refs: { where: { subjectKind: 'ticket' }, select: { subjectId: true } } },
  });
  // The ticket a message is about is its ref's (src/outbox/message-refs.ts).
  return rows.map((r) => ({ text: (r.payload as { text: string }).text, ticketId: r.refs[0]?.subjectId ?? null }));
}

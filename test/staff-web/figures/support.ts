/**
 * A community for the figures tests (test/features/policy/support/seed-community.ts: zones 平房区
 * and 楼寓, a steward of 团结巷, a council member of 平房区, committee, admin, residents), with
 * two categories of its own whose deadlines are easy to count with, and tickets filed, answered,
 * resolved, reopened and rated by the real ticket service at chosen instants.
 */
import { join } from 'node:path';
import type { Tx } from '../../../src/db/prisma-types.js';
import type { Actor } from '../../../src/features/policy/actor.js';
import { loadActor } from '../../../src/features/policy/load-actor.js';
import type { TicketAction } from '../../../src/features/tickets/rules/transition.js';
import { addToMyTicket, applyTicketAction, fileTicket, rateMyTicket } from '../../../src/features/tickets/service/index.js';
import { loadTranslator } from '../../../src/i18n/translator.js';
import type { PersonActor, Translate } from '../../../src/staff-web/shell/viewer.js';
import { testDeps, type TestDeps } from '../../features/tickets/service/support.js';
import { seedPolicyCommunity, type SeededCommunity } from '../../features/policy/support/seed-community.js';
import type { TestDatabase } from '../../support/database.js';

export const TIMEZONE = 'Asia/Shanghai';

/** An instant on the community's wall clock (China Standard Time). */
export const at = (local: string) => new Date(`${local}+08:00`);

/** Water: answer within an hour, fix within a day (also for priority households); other: a day and a week. */
export const FIGURES_SETTINGS = {
  timezone: TIMEZONE,
  categories: [
    {
      code: 'water',
      firstResponse: '1h',
      resolution: '1d',
      priority: { firstResponse: '1h', resolution: '1d' },
      businessHours: false,
      label: { 'zh-CN': '供水', en: 'Water supply' },
    },
    { code: 'other', firstResponse: '1d', resolution: '7d', priority: { firstResponse: '1d', resolution: '7d' }, businessHours: false },
  ],
};

const translator = loadTranslator(join(import.meta.dirname, '..', '..', '..', 'locales'));

/** The project's words in `locale`, as the console binds them for a viewer. */
export function translate(locale: string): Translate {
  return (key, vars) => translator.t(locale, key, vars);
}

export interface FiguresCommunity extends SeededCommunity {
  deps: TestDeps;
  actorOf(residentId: string, when?: Date): Promise<PersonActor>;
  /** Filed by `residentId` for their household (or, with `place`, about a place). */
  file(residentId: string, when: Date, category: string, place?: string): Promise<{ ticketId: string; number: string }>;
  staff(type: 'reply' | 'resolve' | 'reopen', ticketId: string, when: Date): Promise<void>;
  rate(residentId: string, ticketId: string, stars: number, when: Date): Promise<void>;
  /** The resident writes to their resolved ticket (reopening it within the window). */
  write(residentId: string, ticketId: string, when: Date): Promise<void>;
}

export async function seedFiguresCommunity(db: TestDatabase): Promise<FiguresCommunity> {
  const prisma = db.prisma;
  const c = await seedPolicyCommunity(prisma);
  await prisma.community.update({ where: { id: c.communityId }, data: { ticketSettings: FIGURES_SETTINGS } });
  const deps = testDeps(c.now);
  const actorOf = async (residentId: string, when = c.now): Promise<PersonActor> => {
    const actor: Actor | null = await loadActor(prisma, { residentId }, { now: when });
    if (!actor || actor.kind !== 'person') throw new Error('no such person');
    return actor;
  };
  const inTx = <T>(work: (tx: Tx) => Promise<T>) => prisma.$transaction(work);
  return {
    ...c,
    deps,
    actorOf,
    async file(residentId, when, category, place) {
      const actor = await actorOf(residentId, when);
      const filed = await inTx((tx) =>
        fileTicket(tx, deps, {
          communityId: c.communityId,
          actor,
          kind: 'complaint',
          category,
          description: '水管漏水',
          ...(place ? { place: { text: place } } : {}),
          filerAnsweredInChat: true,
          at: when,
        }),
      );
      return { ticketId: filed.ticketId, number: filed.number };
    },
    async staff(type, ticketId, when) {
      const result = await inTx((tx) =>
        applyTicketAction(tx, deps, {
          ticketId,
          communityId: c.communityId,
          action: { type, actor: { kind: 'staff', staffId: c.residents.committee }, at: when } as TicketAction,
          text: type === 'reply' ? '师傅马上到' : type === 'resolve' ? '已修好' : null,
        }),
      );
      if (!result.ok) throw new Error(`${type} refused: ${result.error}`);
    },
    async rate(residentId, ticketId, stars, when) {
      const actor = await actorOf(residentId, when);
      const outcome = await inTx((tx) => rateMyTicket(tx, deps, { actor, ticketId, resolution: 1, stars, solved: stars >= 4, at: when }));
      if (outcome.status !== 'rated') throw new Error(`rating refused: ${outcome.status}`);
    },
    async write(residentId, ticketId, when) {
      const actor = await actorOf(residentId, when);
      const outcome = await inTx((tx) => addToMyTicket(tx, deps, { actor, ticketId, text: '又漏了', at: when }));
      if (outcome.status !== 'reopened') throw new Error(`not reopened: ${outcome.status}`);
    },
  };
}

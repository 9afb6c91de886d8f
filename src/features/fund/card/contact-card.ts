/**
 * The printable contact card (便民联系卡) of one household of the fund's area: a PNG with a QR
 * code per way of reaching the bot — carrying a fresh household binding code where the link can,
 * so scanning it binds the household's phone at once — the code as text for those who type it,
 * the service team's numbers and the office's. Issuing it is issuing a binding code: the policy's
 * `invite.create` for the household's area, and an audit row for the card.
 */
import { entryLinks, type EntryLinkSettings } from '../../../channels/entry-links.js';
import type { PrismaClient } from '../../../db/prisma-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { recordAudit } from '../../audit/record-audit.js';
import { createInviteCode } from '../../identity/invite-codes.js';
import type { Actor } from '../../policy/actor.js';
import { localDateKey } from '../../tickets/rules/local-time.js';
import { FundError } from '../ledger/fund-errors.js';
import { fundAreaIds, type FundRecord } from '../ledger/fund-lookup.js';
import { qrCodeSvg, renderPng } from './card-png.js';
import { cardSvg } from './card-svg.js';

export interface ContactCardRequest {
  prisma: PrismaClient;
  fund: FundRecord;
  actor: Actor;
  householdCode: string;
  links: EntryLinkSettings;
  /** Issue a binding code for the links and the card (default true). */
  withCode?: boolean;
  /** Days the binding code stays valid. */
  codeDays?: number;
  translator: Translator;
  locale: string;
  now: Date;
}

export interface ContactCard {
  png: Buffer;
  /** The addresses the QR codes hold, in the card's order. */
  urls: string[];
  code: string | null;
  expiresAt: Date | null;
}

export async function makeContactCard(request: ContactCardRequest): Promise<ContactCard> {
  const { prisma, fund, translator, locale } = request;
  const t = (key: string, vars?: Record<string, string | number>) => translator.t(locale, key, vars);
  const issued = await prisma.$transaction(async (tx) => {
    const household = await tx.household.findUnique({
      where: { communityId_code: { communityId: fund.communityId, code: request.householdCode } },
      select: { id: true, code: true, address: true, areaId: true, community: { select: { name: true, officePhone: true, timezone: true } } },
    });
    if (!household) throw new FundError('household_not_found', { code: request.householdCode });
    if (!(await fundAreaIds(tx, fund)).includes(household.areaId)) throw new FundError('household_outside_area', { code: request.householdCode, area: fund.areaPath });
    const invite =
      request.withCode === false
        ? null
        : await createInviteCode(tx, { communityId: fund.communityId, householdId: household.id, actor: request.actor, now: request.now, ...(request.codeDays ? { ttlDays: request.codeDays } : {}) });
    await recordAudit(tx, {
      communityId: fund.communityId,
      actor: request.actor,
      action: 'fund.contact_card',
      subjectType: 'household',
      subjectId: household.id,
      details: { fundId: fund.id, withCode: invite !== null },
    });
    return { household, invite };
  });
  const { household, invite } = issued;
  const links = entryLinks(request.links, invite?.code ?? null);
  const qrs = await Promise.all(links.map(async (link) => ({ svg: await qrCodeSvg(link.url), caption: t(link.labelKey) })));
  const phones = [...fund.contactPhones];
  if (household.community.officePhone) phones.push(t('property_fund.card.office', { phone: household.community.officePhone }));
  const svg = cardSvg({
    title: t('property_fund.card.title'),
    subtitle: t('property_fund.card.subtitle', { community: household.community.name, area: fund.areaPath }),
    household: t('property_fund.card.household', { code: household.code, address: household.address }),
    qrs,
    code: invite ? t('property_fund.card.code', { code: invite.code, date: localDateKey(invite.expiresAt, household.community.timezone) }) : null,
    phonesTitle: t('property_fund.card.phones'),
    phones,
    footer: t('property_fund.card.footer'),
  });
  return { png: await renderPng(svg), urls: links.map((l) => l.url), code: invite?.code ?? null, expiresAt: invite?.expiresAt ?? null };
}

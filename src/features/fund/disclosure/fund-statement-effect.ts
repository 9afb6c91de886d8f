/**
 * `fund_statement`: the fund's figures for this month so far, as the monthly notice words them,
 * for a resident of the fund's area who asks in chat (/fund, 物业基金) — the accounts are open to
 * its households (docs/domain.md rule 6) — and for staff who may see the fund (`fund.view`).
 * Read-only: `{ status: ok, text } | { status: none }` (`none`: the person's home pays into no
 * fund, or they are not bound).
 */
import type { ReadOnlyEffect } from '../../../conversation/effects.js';
import type { Json } from '../../../conversation/engine-types.js';
import type { Translator } from '../../../i18n/translator.js';
import { loadActor } from '../../policy/load-actor.js';
import { can } from '../../policy/policy.js';
import { allFunds, fundAreaIds, fundSubject, type FundRecord } from '../ledger/fund-lookup.js';
import { loadFundStatement } from '../ledger/fund-statement.js';
import { monthContaining } from '../rules/fund-month.js';
import { disclosureText } from './disclosure-text.js';

export function fundStatementEffect(translator: Translator, now: () => Date = () => new Date()): ReadOnlyEffect {
  return {
    readOnly: true,
    run: async (ctx): Promise<Json> => {
      const at = now();
      const actor = await loadActor(ctx.tx, { chatAccountId: ctx.chatAccountId }, { now: at });
      if (!actor || actor.kind !== 'person') return { status: 'none' };
      const home = actor.householdId ? await ctx.tx.household.findUnique({ where: { id: actor.householdId }, select: { areaId: true } }) : null;
      let shown: FundRecord | undefined;
      for (const fund of await allFunds(ctx.tx, ctx.communityId)) {
        const ofTheArea = home !== null && (await fundAreaIds(ctx.tx, fund)).includes(home.areaId);
        if (ofTheArea || can(actor, 'fund.view', await fundSubject(ctx.tx, fund), { now: at })) {
          shown = fund;
          break;
        }
      }
      if (!shown) return { status: 'none' };
      const community = await ctx.tx.community.findUniqueOrThrow({ where: { id: ctx.communityId }, select: { timezone: true } });
      const month = monthContaining(at, community.timezone);
      const statement = await loadFundStatement(ctx.tx, shown, month);
      return { status: 'ok', text: disclosureText(statement, { translator, locale: ctx.locale, timezone: community.timezone, areaPath: shown.areaPath, month }) };
    },
  };
}

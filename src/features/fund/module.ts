/**
 * The property fund module (平房区物业): the ledger's actions are called by the command line
 * (`linli fund …`, src/cli/commands/fund-command.ts) and the staff console's fund page; here a
 * resident's question (flows/fund.yaml) is answered and the monthly disclosure notice is
 * scheduled. Every hour (and at start) each fund's scheduler is put in place — a fund set up from
 * the command line meanwhile gets its own — and a notice whose moment passed while nothing ran is
 * sent; its `FundDisclosure` row keeps a month from going out twice.
 */
import type { FeatureModule } from '../../modules/index.js';
import { QueueNames } from '../../queue/names.js';
import { startDisclosureWorker } from './disclosure/disclosure-worker.js';
import { fundStatementEffect } from './disclosure/fund-statement-effect.js';
import { FundDisclosures } from './disclosure/fund-disclosures.js';
import { allFunds } from './ledger/fund-lookup.js';

/** How often funds set up since are given their scheduler, and missed notices are looked for. */
export const DISCLOSURE_SWEEP_EVERY_MS = 3_600_000;

export const fund: FeatureModule = {
  name: 'fund',
  effects: {
    /** This month's figures of the fund the person's home pays into: `{ status: ok | none, text? }` (flows/fund.yaml). */
    fund_statement: { args: {}, readOnly: true },
  },
  install(context) {
    const { prisma, queues, translator, outbox, logger, config, communityId } = context;
    const disclosures = new FundDisclosures({
      prisma,
      queue: queues.queue(QueueNames.fundDisclosures),
      translator,
      outbox,
      logger,
      hour: config.DIGEST_HOUR,
      ...(context.clock ? { now: context.clock } : {}),
    });
    if (config.RUN_WORKERS) startDisclosureWorker(queues, disclosures);
    let timer: NodeJS.Timeout | undefined;
    const sweep = async () => {
      for (const each of await allFunds(prisma, communityId)) {
        await disclosures.install(each);
        await disclosures.catchUp(each);
      }
    };
    return {
      effects: new Map([['fund_statement', fundStatementEffect(translator, context.clock)]]),
      async start() {
        if (!config.RUN_WORKERS) return;
        await sweep();
        timer = setInterval(() => {
          sweep().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.name : 'unknown' }, 'fund disclosure sweep failed'));
        }, DISCLOSURE_SWEEP_EVERY_MS);
        timer.unref();
      },
      async stop() {
        if (timer) clearInterval(timer);
      },
    };
  },
};

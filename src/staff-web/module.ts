/**
 * The staff console as a module: its routes in a serving process, its live-update hub on the
 * event bus, and — while the community has no administrator — the first administrator's one-time
 * setup address among the lines printed when the app is ready.
 */
import { ticketServiceOf } from '../features/tickets/module.js';
import { dispatchDepsOf } from '../features/repairs/dispatch/module.js';
import { noticeServiceFor } from '../features/notices/module.js';
import { meetingsServiceFor } from '../features/meetings/module.js';
import { floorDepsFor } from '../features/meetings/floor/module.js';
import type { FeatureModule } from '../modules/index.js';
import { issueSetupToken } from './auth/first-admin.js';
import { registerFiguresPages } from './figures/figures-routes.js';
import { registerFundPages } from './fund/fund-routes.js';
import { registerAlertsPages } from './alerts/alerts-routes.js';
import { registerMeetingPages } from './meetings/floor-routes.js';
import { registerNoticesPages } from './notices/notices-routes.js';
import { registerInboxPages } from './inbox/inbox-routes.js';
import { registerPeoplePages } from './people/people-routes.js';
import { registerRequestsPages } from './requests/requests-routes.js';
import { LiveUpdates } from './shell/live-updates.js';
import { registerStaffWeb, type StaffPart } from './shell/staff-web-plugin.js';
import type { StaffWebDeps } from './shell/staff-web-deps.js';

/** The console's parts, in the order of its navigation. */
const PARTS: readonly StaffPart[] = [
  // inbox first
  registerInboxPages,
  registerRequestsPages,
  registerPeoplePages,
  registerFiguresPages,
  registerFundPages,
  registerNoticesPages,
  registerAlertsPages,
  registerMeetingPages,
];

export const staffWeb: FeatureModule = {
  name: 'staff-web',
  install(context) {
    const { prisma, communityId, translator, logger, notifier, outbox, events, config } = context;
    const deps: StaffWebDeps = {
      prisma,
      communityId,
      translator,
      logger,
      notifier,
      outbox,
      events,
      tickets: ticketServiceOf(context),
      dispatch: dispatchDepsOf(context),
      notices: noticeServiceFor(context),
      meetings: meetingsServiceFor(context).deps,
      floor: floorDepsFor(context),
      live: new LiveUpdates(events, communityId, context.listen),
      dataDir: context.dataDir,
      documentLink: context.documentLink,
      defaultLocale: config.DEFAULT_LOCALE,
      sessionIdleMs: config.STAFF_SESSION_IDLE_MINUTES * 60_000,
      keys: { cookie: context.keyFor('staff-cookie'), code: context.keyFor('staff-login-code'), origin: context.keyFor('staff-origin') },
      now: () => new Date(),
    };
    return {
      routes: (http) => registerStaffWeb(http, deps, PARTS),
      // Pages are held by serving processes only; every process notifies.
      start: async () => {
        if (context.serve) await deps.live.start();
      },
      stop: () => deps.live.stop(),
      async readyLines(address) {
        const token = await prisma.$transaction((tx) => issueSetupToken(tx, { communityId, key: deps.keys.code, now: deps.now() }));
        return token ? [translator.t(config.DEFAULT_LOCALE, 'staffweb.auth.setup_line', { url: `${address}/staff/setup/${token}` })] : [];
      },
    };
  },
};

/** `npm run worker`: queue workers only (deliveries, conversation timers), for scaling out. */
import { createApp } from './app.js';
import { runProcess } from './process-lifecycle.js';

await runProcess('worker', (config, logger) => createApp({ config: { ...config, RUN_WORKERS: true }, logger, serve: false }));

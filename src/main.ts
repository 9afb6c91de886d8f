/**
 * `npm start`: the web chat, the channels and (unless RUN_WORKERS=false) the queue workers.
 * With no configuration at all this runs on the embedded default: PGlite in ./data, queues on
 * that same database, the web chat at http://127.0.0.1:3000/chat.
 */
import { createApp } from './app.js';
import { runProcess } from './process-lifecycle.js';

await runProcess('server', (config, logger) => createApp({ config, logger, serve: true }));

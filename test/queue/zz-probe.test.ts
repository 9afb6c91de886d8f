import { describe, it } from 'vitest';
import { openQueueTarget, queueTargets } from './support/targets.js';
import { waitUntil } from './support/wait.js';
describe.each(queueTargets())('%s', (kind) => {
  it('probe', async () => {
    const t = await openQueueTarget(kind);
    const q = t.backend.queue<{ x: boolean }>('probe');
    const rows: unknown[] = [];
    const w = t.backend.worker<{ x: boolean }>('probe', async (job) => { rows.push({ id: job.id, ts: job.timestamp, delay: job.delay, optsDelay: job.opts.delay, p: job.processedOn, slot: job.timestamp + job.delay }); });
    await q.upsertJobScheduler('tick', { every: 300 }, { name: 'tick', data: { x: true } });
    await waitUntil(() => rows.length >= 4, 'runs', 5000);
    await w.close();
    process.stdout.write(`PROBE ${kind} ${JSON.stringify(rows)}\n`);
    await t.close();
  });
});

import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import { version } from '../shared/version.js';

type Sample = [name: string, help: string, type: 'gauge' | 'counter', values: [string, number][]];

function render(samples: Sample[]): string {
  return samples
    .flatMap(([name, help, type, values]) => [
      `# HELP ${name} ${help}`,
      `# TYPE ${name} ${type}`,
      ...values.map(([labels, value]) => `${name}${labels} ${value}`),
    ])
    .join('\n')
    .concat('\n');
}

/**
 * Process and queue figures in the Prometheus text format. Only system-wide aggregates: no
 * user's data, so scrapers need no account.
 */
export async function collectMetrics(deps: { db: Db; queue: JobQueue }): Promise<string> {
  const memory = process.memoryUsage();
  const queue = await deps.queue.stats();
  const searches = await deps.db
    .selectFrom('searches')
    .select(['status', deps.db.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return render([
    ['mpf_info', 'Build information', 'gauge', [[`{version="${version}"}`, 1]]],
    ['mpf_process_uptime_seconds', 'Seconds since start', 'gauge', [['', process.uptime()]]],
    ['mpf_process_resident_memory_bytes', 'Resident set size', 'gauge', [['', memory.rss]]],
    ['mpf_process_heap_used_bytes', 'V8 heap in use', 'gauge', [['', memory.heapUsed]]],
    [
      'mpf_jobs',
      'Jobs by status',
      'gauge',
      Object.entries(queue.counts).map(([status, count]) => [`{status="${status}"}`, count]),
    ],
    [
      'mpf_workers_busy',
      'Job handlers running in this process',
      'gauge',
      [['', queue.workers.busy]],
    ],
    ['mpf_workers', 'Job concurrency of this process', 'gauge', [['', queue.workers.concurrency]]],
    [
      'mpf_searches',
      'Searches by status',
      'gauge',
      searches.map((row) => [`{status="${row.status}"}`, Number(row.count)]),
    ],
  ]);
}

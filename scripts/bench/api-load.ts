import autocannon from 'autocannon';

/** What one load run measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors (timeouts included) and answers other than 2xx. */
  errors: number;
  requests: number;
  /** The errors by kind: connection errors (of which timeouts) and answers by status. */
  errorKinds: { connection: number; timeouts: number; statuses: Record<string, number> };
}

export interface LoadRun {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}

/** Keeps `connections` clients busy on `url` for `seconds` (HTTP/1.1 keep-alive, no pipelining). */
export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const result = await autocannon({
    url: run.url,
    connections: run.connections,
    duration: run.seconds,
    headers: run.headers ?? {},
    timeout: 10,
  });
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
    requests: result.requests.total,
    errorKinds: {
      connection: result.errors,
      timeouts: result.timeouts,
      statuses: Object.fromEntries(
        Object.entries(result.statusCodeStats ?? {})
          .filter(([status]) => !status.startsWith('2'))
          .map(([status, stats]) => [status, stats.count ?? 0]),
      ),
    },
  };
}

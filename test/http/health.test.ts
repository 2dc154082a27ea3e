import { describe, expect, it } from 'vitest';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';
import { bearer } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789';

describe.each(testDialects)('system endpoints on $name', (dialect) => {
  const t = useTestApp(dialect, { METRICS_TOKEN });

  it('report health with the database reachable', async () => {
    const response = await fetch(`${t.baseUrl}/api/health/`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      database: { dialect: dialect.name, reachable: true },
    });
  });

  it('say which ffmpeg and ffprobe decode uploads: the maintained one on the PATH', async () => {
    const health = (await (await fetch(`${t.baseUrl}/api/health`)).json()) as Record<
      string,
      unknown
    >;
    const { origin } = resolveMediaBinaries(t.config);
    expect(health).toMatchObject({ ffmpeg: origin.ffmpeg, ffprobe: origin.ffprobe });
    // .ci/run installs Debian's ffmpeg, which the README asks every installation to do.
    expect(health.ffmpeg).toMatchObject({ source: 'system', outdated: false });
    expect(health.ffprobe).toMatchObject({ source: 'system', outdated: false });
  });

  it('answer unknown API routes with a JSON 404', async () => {
    const response = await fetch(`${t.baseUrl}/api/no-such-thing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('publish an OpenAPI document, and the Swagger UI to an administrator', async () => {
    // The first account of the instance is its administrator.
    const admin = await signUp(t.baseUrl);
    const doc = (await (await fetch(`${t.baseUrl}/api/openapi.json`)).json()) as {
      openapi: string;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['cookieAuth', 'bearerAuth']);
    expect((await fetch(`${t.baseUrl}/api/docs/`, { headers: bearer(admin.token) })).status).toBe(
      200,
    );
  });

  it('expose process and queue metrics for Prometheus', async () => {
    const response = await fetch(`${t.baseUrl}/api/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toMatch(/^mpf_jobs\{status="queued"\} 0$/m);
    expect(body).toMatch(/^mpf_process_resident_memory_bytes \d+/m);
  });
});

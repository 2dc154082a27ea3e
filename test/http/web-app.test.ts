import { execSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WEB_DIST_DIR } from '../../src/web/web-app.js';

const sqlite = testDialects.find((dialect) => dialect.name === 'sqlite')!;
const html = { accept: 'text/html,application/xhtml+xml' };

describe('the web app served by the API server', () => {
  let t: TestApp;
  beforeAll(async () => {
    if (!existsSync(path.join(WEB_DIST_DIR, 'index.html'))) {
      execSync('npx vite build web', { stdio: 'ignore' });
    }
    t = await startTestApp(sqlite);
  }, 180_000);
  afterAll(() => t?.close());

  it('answers a browser opening a deep link with the app, under the strict CSP', async () => {
    const response = await fetch(`${t.baseUrl}/searches/6f1c2a9e-3b7d-4c1e-9a55-0d2f8e1b7c40`, {
      headers: html,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    // Served over plain HTTP on a LAN address, an upgrade would load no script at all.
    expect(csp).not.toContain('upgrade-insecure-requests');
    const body = await response.text();
    expect(body).toContain('<div id="root"></div>');
    expect(body).not.toMatch(/<script>(?!<)/);
  });

  it('keeps JSON 404s for unknown API routes, even when HTML is accepted', async () => {
    const response = await fetch(`${t.baseUrl}/api/no-such-route`, { headers: html });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('does not answer non-browser requests or writes with the app', async () => {
    const json = await fetch(`${t.baseUrl}/cases/1`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    const post = await fetch(`${t.baseUrl}/cases`, { method: 'POST', headers: html });
    expect(post.status).toBe(404);
  });

  it('serves hashed assets with a year-long immutable cache', async () => {
    const asset = readdirSync(path.join(WEB_DIST_DIR, 'assets')).find((f) => f.endsWith('.js'));
    const response = await fetch(`${t.baseUrl}/assets/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});

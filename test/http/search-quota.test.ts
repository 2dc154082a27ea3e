import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type LoggedInUser } from '../support/client.js';
import { createCase, signUp } from '../support/factories.js';
import { referencePhoto } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-search-quota-');
let photo: string;

beforeAll(async () => {
  photo = await referencePhoto(scratch.file('ada.jpg'));
});
afterAll(() => scratch.remove());

// No job workers run here, so every search stays queued (active) until paused or cancelled.
describe.each(testDialects)('per-user search limits on $name', (dialect) => {
  let t: TestApp;
  let admin: LoggedInUser;
  let user: LoggedInUser;
  let caseId: string;
  const feeds: string[] = [];

  const search = (by: LoggedInUser, videoIds: string[], extra: Record<string, unknown> = {}) =>
    call(t, by, 'POST', '/api/searches', { missingPersonId: caseId, videoIds, ...extra });

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      MAX_ACTIVE_SEARCHES_PER_USER: '3',
      MAX_LIVE_FEEDS_PER_USER: '2',
      LIVE_FEED_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    admin = await signUp(t.baseUrl);
    user = await signUp(t.baseUrl);
    caseId = await createCase(t.baseUrl, user, photo);
    for (const name of ['a', 'b', 'c']) {
      const feed = await call(t, user, 'POST', '/api/videos/live', {
        title: `Camera ${name}`,
        url: `rtsp://127.0.0.1:9/${name}`,
      });
      expect(feed.status).toBe(201);
      feeds.push(feed.body.id);
    }
  }, 120_000);
  afterAll(() => t.close());

  it('reserves the high queue priority to admins', async () => {
    const high = await search(user, [feeds[0]!], { priority: 'high' });
    expect(high.status).toBe(403);
    expect(high.body.error.code).toBe('PRIORITY_RESERVED');
  });

  it('answers 429 LIMIT_REACHED past the live feeds watched and the searches active at once', async () => {
    const [a, b, c] = feeds as [string, string, string];
    const first = await search(user, [a, b]);
    expect(first.status).toBe(201);
    const third = await search(user, [c]);
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('LIMIT_REACHED');

    expect((await search(user, [a])).status).toBe(201);
    const paused = await search(user, [b]);
    expect(paused.status).toBe(201);
    const fourth = await search(user, [a]);
    expect(fourth.status).toBe(429);
    expect(fourth.body.error.code).toBe('LIMIT_REACHED');

    expect((await call(t, user, 'PUT', `/api/searches/${paused.body.id}/pause`)).status).toBe(200);
    expect((await search(user, [a])).status).toBe(201);
    const resume = await call(t, user, 'PUT', `/api/searches/${paused.body.id}/resume`);
    expect(resume.status).toBe(429);

    // Stopping the search over a and b frees both the search and the feed it alone watched.
    expect((await call(t, user, 'PUT', `/api/searches/${first.body.id}/cancel`)).status).toBe(200);
    expect((await call(t, user, 'PUT', `/api/searches/${paused.body.id}/resume`)).status).toBe(200);
  });

  it("counts each user's own searches: another user (an admin, at high priority) is not held up", async () => {
    const adminCase = await createCase(t.baseUrl, admin, photo);
    const feed = await call(t, admin, 'POST', '/api/videos/live', {
      title: 'Admin camera',
      url: 'rtsp://127.0.0.1:9/admin',
    });
    const high = await call(t, admin, 'POST', '/api/searches', {
      missingPersonId: adminCase,
      videoIds: [feed.body.id],
      priority: 'high',
    });
    expect(high.status).toBe(201);
  });
});

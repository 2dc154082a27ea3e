import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchChannel } from '../../src/events/event.types.js';
import { get, json, type LoggedInUser, send } from '../support/client.js';
import * as factory from '../support/factories.js';
import {
  openSocket,
  referencePhoto,
  searchFootage,
  searchReadUrls,
  startWorkers,
} from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-sharing-');

interface ErrorBody {
  error: { code: string };
}
interface Member {
  userId: string;
  username: string;
  email: string | null;
  role: string;
}
interface Appearance {
  id: string;
  frameUrl: string;
  faceUrl: string;
}

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('platform.mp4'));
  await searchFootage(scratch.file('other.mp4'), 2);
});
afterAll(() => scratch.remove());

describe.each(testDialects)('case sharing on $name', (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let editor: LoggedInUser;
  let viewer: LoggedInUser;
  let stranger: LoggedInUser;
  let caseId: string;
  let photoId: string;
  let sharedVideoId: string;
  let privateVideoId: string;
  let searchId: string;
  let appearance: Appearance;

  const casePath = () => `/api/missing-persons/${caseId}`;
  const status = async (user: LoggedInUser, method: string, url: string, body?: unknown) =>
    (await send(t.baseUrl, user, method, url, body)).status;
  const errorCode = async (response: Response) => ((await response.json()) as ErrorBody).error.code;
  const share = (user: LoggedInUser, role: string, by: 'username' | 'email' = 'username') =>
    send(t.baseUrl, owner, 'POST', `${casePath()}/members`, {
      [by]: by === 'username' ? user.user.username : user.user.email,
      role,
    });

  /** Every resource of the case, its footage and its search that a member may read. */
  const readUrls = () => [
    casePath(),
    `${casePath()}/members`,
    `${casePath()}/photos`,
    `${casePath()}/photos/${photoId}`,
    `${casePath()}/photos/${photoId}/image`,
    `/api/videos/${sharedVideoId}`,
    `/api/videos/${sharedVideoId}/stream`,
    `/api/videos/${sharedVideoId}/poster`,
    ...searchReadUrls(searchId, appearance),
  ];

  /** Every change a viewer may not make: [method, url, body]. */
  const writes = (): [string, string, unknown?][] => [
    ['PUT', casePath(), { firstName: 'Ada', lastName: 'Changed' }],
    ['PATCH', casePath(), { status: 'found' }],
    ['DELETE', casePath()],
    ['POST', `${casePath()}/photos`],
    ['DELETE', `${casePath()}/photos/${photoId}`],
    ['POST', `${casePath()}/members`, { username: stranger.user.username, role: 'viewer' }],
    ['DELETE', `${casePath()}/members/${editor.user.id}`],
    ['POST', '/api/searches', { missingPersonId: caseId, videoIds: [sharedVideoId] }],
    ['PUT', `/api/searches/${searchId}/pause`],
    ['PUT', `/api/searches/${searchId}/resume`],
    ['PUT', `/api/searches/${searchId}/cancel`],
    ['PUT', `/api/searches/${searchId}/alerts`, { email: 'duty@example.org' }],
  ];

  beforeAll(async () => {
    t = await startTestApp(dialect, {
      AUTH_RATE_LIMIT_PER_MINUTE: '100',
      // The alert test stores a loopback webhook (never called: no search here finds anyone).
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
    });
    await startWorkers(t);
    [owner, editor, viewer, stranger] = (await Promise.all(
      [1, 2, 3, 4].map(() => factory.signUp(t.baseUrl)),
    )) as [LoggedInUser, LoggedInUser, LoggedInUser, LoggedInUser];
    caseId = await factory.createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    const { items: photos } = await json<{ items: { id: string }[] }>(
      await get(t.baseUrl, owner, `${casePath()}/photos`),
      200,
    );
    photoId = photos[0]!.id;
    sharedVideoId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('platform.mp4'),
      'Platform',
    );
    privateVideoId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('other.mp4'),
      'Elsewhere',
    );
    const search = await factory.startSearch(t.baseUrl, owner, {
      missingPersonId: caseId,
      videoIds: [sharedVideoId],
      preset: 'fast',
    });
    searchId = search.id;
    await factory.waitForSearch(t.baseUrl, owner, searchId, ['completed']);
    const { items } = await json<{ items: Appearance[] }>(
      await get(t.baseUrl, owner, `/api/searches/${searchId}/appearances`),
      200,
    );
    appearance = items[0]!;
  });
  afterAll(async () => t?.close());

  it('lets the owner share by username or e-mail, change a role, and refuses unknown accounts and the owner', async () => {
    expect((await share(editor, 'viewer')).status).toBe(201);
    const changed = await share(editor, 'editor');
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ userId: editor.user.id, role: 'editor' });
    const byEmail = await share(viewer, 'viewer', 'email');
    expect(byEmail.status).toBe(201);

    const unknown = await send(t.baseUrl, owner, 'POST', `${casePath()}/members`, {
      username: 'nobody',
      role: 'viewer',
    });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe('USER_NOT_FOUND');
    expect((await share(owner, 'viewer')).status).toBe(409);
    expect(await status(owner, 'DELETE', `${casePath()}/members/${owner.user.id}`)).toBe(409);

    const members = await json<{ items: Member[] }>(
      await get(t.baseUrl, owner, `${casePath()}/members`),
      200,
    );
    expect(members.items.map((m) => [m.userId, m.role])).toEqual([
      [owner.user.id, 'owner'],
      [editor.user.id, 'editor'],
      [viewer.user.id, 'viewer'],
    ]);
    expect(members.items[2]?.email).toBe(viewer.user.email);
    const seenByViewer = await json<{ items: Member[] }>(
      await get(t.baseUrl, viewer, `${casePath()}/members`),
      200,
    );
    expect(seenByViewer.items.every((m) => m.email === null)).toBe(true);
  });

  it('shows a viewer the case, its photos, searches, results and footage, marked with their role', async () => {
    for (const url of readUrls()) {
      expect((await get(t.baseUrl, viewer, url)).status, url).toBe(200);
    }
    const cases = await json<{ items: { id: string; role: string }[] }>(
      await get(t.baseUrl, viewer, '/api/missing-persons'),
      200,
    );
    expect(cases.items).toEqual([expect.objectContaining({ id: caseId, role: 'viewer' })]);
    const searches = await json<{ items: { id: string; role: string }[] }>(
      await get(t.baseUrl, viewer, '/api/searches'),
      200,
    );
    expect(searches.items).toEqual([expect.objectContaining({ id: searchId, role: 'viewer' })]);
    const stats = await json<{ cases: { total: number }; searches: { total: number } }>(
      await get(t.baseUrl, viewer, '/api/dashboard/stats'),
      200,
    );
    expect(stats.cases.total).toBe(1);
    expect(stats.searches.total).toBe(1);

    const socket = await openSocket(t.baseUrl, { token: viewer.token });
    socket.send({ type: 'subscribe', searchId });
    const snapshot = await socket.waitFor((message) => message.type === 'snapshot');
    expect(snapshot.status).toBe('completed');
    socket.close();
  });

  it("shows a member the case's footage but none of the owner's other footage", async () => {
    const videos = await json<{ items: { id: string; owned: boolean }[] }>(
      await get(t.baseUrl, viewer, '/api/videos'),
      200,
    );
    expect(videos.items).toEqual([expect.objectContaining({ id: sharedVideoId, owned: false })]);
    for (const url of [
      `/api/videos/${privateVideoId}`,
      `/api/videos/${privateVideoId}/stream`,
      `/api/videos/${privateVideoId}/poster`,
    ]) {
      expect((await get(t.baseUrl, viewer, url)).status, url).toBe(404);
    }
    // Footage stays its uploader's: a member sees it but may not change or delete it.
    expect(await status(editor, 'PATCH', `/api/videos/${sharedVideoId}`, { title: 'x' })).toBe(403);
    expect(await status(editor, 'DELETE', `/api/videos/${sharedVideoId}`)).toBe(403);
  });

  it("lets an editor set a search's alerts and shows the webhook secret to them, not to a viewer", async () => {
    const alerts = `/api/searches/${searchId}/alerts`;
    const set = await send(t.baseUrl, editor, 'PUT', alerts, {
      webhookUrl: 'http://127.0.0.1:9/mpf',
    });
    const saved = await json<{ webhookSecret: string | null }>(set, 200);
    expect(saved.webhookSecret).toMatch(/\w{16,}/);
    const seenByViewer = await json<{ webhookUrl: string; webhookSecret: string | null }>(
      await get(t.baseUrl, viewer, alerts),
      200,
    );
    expect(seenByViewer).toMatchObject({
      webhookUrl: 'http://127.0.0.1:9/mpf',
      webhookSecret: null,
    });
    expect(await status(editor, 'PUT', alerts, { webhookUrl: null })).toBe(200);
  });

  it('answers 403 FORBIDDEN to every change a viewer tries', async () => {
    for (const [method, url, body] of writes()) {
      const response = await send(t.baseUrl, viewer, method, url, body);
      expect(response.status, `${method} ${url}`).toBe(403);
      expect(await errorCode(response), `${method} ${url}`).toBe('FORBIDDEN');
    }
    const unchanged = await json<{ lastName: string; status: string }>(
      await get(t.baseUrl, owner, casePath()),
      200,
    );
    expect(unchanged).toMatchObject({ lastName: 'Example', status: 'missing' });
  });

  it('lets an editor change the case and run searches on its footage, but not delete it or share it', async () => {
    expect(await status(editor, 'PATCH', casePath(), { notes: 'Seen near the station' })).toBe(200);
    const search = await factory.startSearch(t.baseUrl, editor, {
      missingPersonId: caseId,
      videoIds: [sharedVideoId],
      preset: 'fast',
    });
    expect(await status(editor, 'PUT', `/api/searches/${search.id}/cancel`)).toBe(200);
    // Only footage the editor can see: the owner's other video is unknown to them.
    const refused = await send(t.baseUrl, editor, 'POST', '/api/searches', {
      missingPersonId: caseId,
      videoIds: [privateVideoId],
    });
    expect(refused.status).toBe(400);
    // Nor may footage seen through this case be carried into another case of the editor's.
    const elsewhere = await factory.createCase(t.baseUrl, editor, scratch.file('ada.jpg'));
    const carried = await send(t.baseUrl, editor, 'POST', '/api/searches', {
      missingPersonId: elsewhere,
      videoIds: [sharedVideoId],
    });
    expect(carried.status).toBe(400);
    expect(await status(editor, 'DELETE', casePath())).toBe(403);
    expect(
      await status(editor, 'POST', `${casePath()}/members`, {
        username: stranger.user.username,
        role: 'viewer',
      }),
    ).toBe(403);
    expect(await status(owner, 'GET', `/api/searches/${search.id}`)).toBe(200);
  });

  it('answers 404 NOT_FOUND to a non-member for every resource and change of the case', async () => {
    for (const url of readUrls()) {
      const response = await get(t.baseUrl, stranger, url);
      expect(response.status, url).toBe(404);
    }
    for (const [method, url, body] of writes()) {
      expect(await status(stranger, method, url, body), `${method} ${url}`).toBe(404);
    }
    const socket = await openSocket(t.baseUrl, { token: stranger.token });
    socket.send({ type: 'subscribe', searchId });
    expect((await socket.waitFor((message) => message.type === 'error')).code).toBe('NOT_FOUND');
    socket.close();
  });

  it('takes access away at once when a membership is revoked, also from an open WebSocket', async () => {
    const socket = await openSocket(t.baseUrl, { token: viewer.token });
    socket.send({ type: 'subscribe', searchId });
    await socket.waitFor((message) => message.type === 'snapshot');

    expect(await status(owner, 'DELETE', `${casePath()}/members/${viewer.user.id}`)).toBe(204);
    for (const url of readUrls()) {
      expect((await get(t.baseUrl, viewer, url)).status, url).toBe(404);
    }
    const cases = await json<{ items: unknown[] }>(
      await get(t.baseUrl, viewer, '/api/missing-persons'),
      200,
    );
    expect(cases.items).toEqual([]);

    await t.deps.events.publish(searchChannel(searchId), {
      type: 'search.status',
      searchId,
      status: 'completed',
    });
    const ended = await socket.waitFor((message) => message.type === 'error');
    expect(ended).toMatchObject({ code: 'NOT_FOUND', searchId });
    expect(socket.messages.some((message) => message.type === 'search.status')).toBe(false);
    socket.close();
  });

  it('lets a member leave, and audits every change of membership', async () => {
    expect(await status(editor, 'DELETE', `${casePath()}/members/${editor.user.id}`)).toBe(204);
    expect(await status(editor, 'GET', casePath())).toBe(404);
    const rows = await t.deps.db
      .selectFrom('audit_logs')
      .select(['user_id', 'action', 'target_id'])
      .where('action', 'like', 'case.member.%')
      .orderBy('created_at')
      .execute();
    expect(rows.map((row) => [row.action, row.user_id, row.target_id])).toEqual([
      ['case.member.add', owner.user.id, caseId],
      ['case.member.role', owner.user.id, caseId],
      ['case.member.add', owner.user.id, caseId],
      ['case.member.remove', owner.user.id, caseId],
      ['case.member.leave', editor.user.id, caseId],
    ]);
  });
});

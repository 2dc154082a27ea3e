import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, json, type LoggedInUser } from '../support/client.js';
import * as factory from '../support/factories.js';
import { referencePhoto, searchFootage, startWorkers } from '../support/search-fixtures.js';
import { testDialects } from '../support/databases.js';
import { scratchDir } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const scratch = scratchDir('mpf-case-searches-');

interface ListBody {
  items: { id: string; missingPerson: { id: string }; matchCount: number; status: string }[];
  total: number;
}
interface SightingsBody {
  items: { id: string; searchId: string; videoTitle: string; bestScore: number; faceUrl: string }[];
}

beforeAll(async () => {
  await referencePhoto(scratch.file('ada.jpg'));
  await searchFootage(scratch.file('concourse.mp4'), 3);
});
afterAll(() => scratch.remove());

describe.each(testDialects)("a case's searches and sightings on $name", (dialect) => {
  let t: TestApp;
  let owner: LoggedInUser;
  let stranger: LoggedInUser;
  let caseId: string;
  let otherCaseId: string;
  let searchId: string;
  let otherSearchId: string;

  beforeAll(async () => {
    t = await startTestApp(dialect);
    await startWorkers(t);
    owner = await factory.signUp(t.baseUrl);
    stranger = await factory.signUp(t.baseUrl);
    caseId = await factory.createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    otherCaseId = await factory.createCase(t.baseUrl, owner, scratch.file('ada.jpg'));
    const videoId = await factory.uploadVideo(
      t.baseUrl,
      owner,
      scratch.file('concourse.mp4'),
      'Concourse',
    );
    const start = (missingPersonId: string) =>
      factory.startSearch(t.baseUrl, owner, { missingPersonId, videoIds: [videoId] });
    searchId = (await start(caseId)).id;
    otherSearchId = (await start(otherCaseId)).id;
    await factory.waitForSearch(t.baseUrl, owner, searchId, ['completed']);
    await factory.waitForSearch(t.baseUrl, owner, otherSearchId, ['completed']);
  });
  afterAll(async () => t?.close());

  it("lists only the case's searches when asked for one case, and none of a stranger's case", async () => {
    const list = await json<ListBody>(
      await get(t.baseUrl, owner, `/api/searches?missingPersonId=${caseId}`),
      200,
    );
    expect(list.items.map((item) => item.id)).toEqual([searchId]);
    expect(list.total).toBe(1);
    expect(list.items[0]?.matchCount).toBe(1);
    const strangers = await json<ListBody>(
      await get(t.baseUrl, stranger, `/api/searches?missingPersonId=${caseId}`),
      200,
    );
    expect(strangers.items).toEqual([]);
    expect(strangers.total).toBe(0);
  });

  it("gives the case's best sightings with their search and video, and 404 to a stranger", async () => {
    const sightings = await json<SightingsBody>(
      await get(t.baseUrl, owner, `/api/missing-persons/${caseId}/sightings`),
      200,
    );
    expect(sightings.items).toHaveLength(1);
    expect(sightings.items[0]).toMatchObject({ searchId, videoTitle: 'Concourse' });
    expect(sightings.items[0]?.faceUrl).toContain(`/api/searches/${searchId}/`);
    const image = await get(t.baseUrl, owner, sightings.items[0]?.faceUrl ?? '');
    expect(image.status).toBe(200);

    const denied = await get(t.baseUrl, stranger, `/api/missing-persons/${caseId}/sightings`);
    expect(denied.status).toBe(404);
    const tooMany = await get(
      t.baseUrl,
      owner,
      `/api/missing-persons/${caseId}/sightings?limit=500`,
    );
    expect(tooMany.status).toBe(400);
  });
});

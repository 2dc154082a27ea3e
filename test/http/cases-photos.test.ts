import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddingToBytes } from '../../src/cases/embedding.codec.js';
import { loadReferenceFaces } from '../../src/cases/person-photo.service.js';
import { euclidean } from '../../src/recognition/similarity.js';
import { bearer, type LoggedInUser } from '../support/client.js';
import { signUp } from '../support/factories.js';
import { testDialects } from '../support/databases.js';
import { demoFace } from '../support/media-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface PhotoResult {
  id: string | null;
  fileName: string | null;
  enrolled: boolean;
  face?: { box: Box };
  faces?: { box: Box }[];
  error?: { code: string; message: string };
}

/** sample1.jpg: a group photo of three people (1920×1280). */
const groupPhoto = readFileSync(demoFace(1));

/** One face of the group photo with room around it: a single-person reference photo. */
async function singleFacePhoto(box: Box): Promise<Buffer> {
  const margin = 0.4;
  const left = Math.max(0, Math.round(box.x - box.width * margin));
  const top = Math.max(0, Math.round(box.y - box.height * margin));
  return sharp(groupPhoto)
    .extract({
      left,
      top,
      width: Math.round(box.width * (1 + 2 * margin)),
      height: Math.round(box.height * (1 + 2 * margin)),
    })
    .jpeg()
    .toBuffer();
}

const plainImage = () =>
  sharp({ create: { width: 400, height: 300, channels: 3, background: '#c8b4a0' } })
    .png()
    .toBuffer();

function photoForm(files: { name: string; data: Buffer }[], faceIndex?: number): FormData {
  const form = new FormData();
  if (faceIndex !== undefined) form.append('faceIndex', String(faceIndex));
  for (const file of files) form.append('photos', new Blob([file.data]), file.name);
  return form;
}

describe.each(testDialects)('reference photos on $name', (dialect) => {
  let t: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;
  let caseId: string;
  let groupBoxes: Box[];

  beforeAll(async () => {
    t = await startTestApp(dialect, { AUTH_RATE_LIMIT_PER_MINUTE: '1000', FACE_WORKERS: '1' });
    alice = await signUp(t.baseUrl);
    bob = await signUp(t.baseUrl);
    const created = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { ...bearer(alice.token), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Ida', lastName: 'Sand' }),
    });
    caseId = ((await created.json()) as { id: string }).id;
  });
  afterAll(() => t.close());

  const photosUrl = (id = caseId) => `${t.baseUrl}/api/missing-persons/${id}/photos`;
  const upload = (user: LoggedInUser, form: FormData, id = caseId) =>
    fetch(photosUrl(id), { method: 'POST', headers: bearer(user.token), body: form });
  const get = (user: LoggedInUser, url: string) => fetch(url, { headers: bearer(user.token) });

  function caseFiles(): string[] {
    const dir = path.join(t.config.DATA_DIR, 'files', 'users', alice.user.id, 'cases', caseId);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  }

  it('offers every face of a group photo to choose from, and keeps nothing', async () => {
    const response = await upload(alice, photoForm([{ name: 'group.jpg', data: groupPhoto }]));
    expect(response.status).toBe(200);
    const { photos } = (await response.json()) as { photos: PhotoResult[] };
    expect(photos).toHaveLength(1);
    expect(photos[0]).toMatchObject({
      id: null,
      fileName: 'group.jpg',
      enrolled: false,
      error: { code: 'MULTIPLE_FACES' },
    });
    groupBoxes = photos[0]!.faces!.map((f) => f.box);
    expect(groupBoxes).toHaveLength(3);
    // Left to right, inside the 1920×1280 photo.
    expect(groupBoxes.map((b) => b.x)).toEqual(
      [...groupBoxes.map((b) => b.x)].sort((a, b) => a - b),
    );
    for (const box of groupBoxes) {
      expect(box.x + box.width).toBeLessThanOrEqual(1920);
      expect(box.width).toBeGreaterThan(100);
    }
    expect(caseFiles()).toEqual([]);
  });

  it('enrols the face picked by faceIndex from the same photo', async () => {
    const response = await upload(alice, photoForm([{ name: 'group.jpg', data: groupPhoto }], 1));
    expect(response.status).toBe(201);
    const { photos } = (await response.json()) as { photos: PhotoResult[] };
    expect(photos[0]).toMatchObject({ enrolled: true, face: { box: groupBoxes[1] } });
    expect(photos[0]!.id).toEqual(expect.any(String));
  });

  it('enrols a single-face photo and refuses a faceless one and a text file, in one request', async () => {
    const single = await singleFacePhoto(groupBoxes[0]!);
    const response = await upload(
      alice,
      photoForm([
        { name: 'portrait.jpg', data: single },
        { name: 'wall.png', data: await plainImage() },
        { name: 'notes.jpg', data: Buffer.from('this is not an image at all\n') },
        {
          name: 'drawing.svg',
          data: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">' +
              '<circle cx="100" cy="100" r="80"/></svg>',
          ),
        },
      ]),
    );
    expect(response.status).toBe(201);
    const { photos } = (await response.json()) as { photos: PhotoResult[] };
    expect(photos.map((p) => [p.fileName, p.enrolled, p.error?.code])).toEqual([
      ['portrait.jpg', true, undefined],
      ['wall.png', false, 'NO_FACE_IN_PHOTO'],
      ['notes.jpg', false, 'UNSUPPORTED_IMAGE'],
      ['drawing.svg', false, 'UNSUPPORTED_IMAGE'],
    ]);
    const box = photos[0]!.face!.box;
    expect(box.width).toBeGreaterThan(100);
    expect(box.x).toBeGreaterThan(0);
    expect(caseFiles()).toHaveLength(2);
  });

  it('stores a phone photo turned by its EXIF orientation upright, with the box in its pixels', async () => {
    const upright = await singleFacePhoto(groupBoxes[2]!);
    const size = await sharp(upright).metadata();
    // Pixels stored turned a quarter left, with orientation 6 telling viewers to turn them back.
    const sideways = await sharp(await sharp(upright).rotate(270).toBuffer())
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const response = await upload(alice, photoForm([{ name: 'phone.jpg', data: sideways }]));
    expect(response.status).toBe(201);
    const { photos } = (await response.json()) as { photos: PhotoResult[] };
    expect(photos[0]).toMatchObject({ enrolled: true });
    const meta = (await (await get(alice, `${photosUrl()}/${photos[0]!.id}`)).json()) as {
      width: number;
      height: number;
      face: { box: Box };
    };
    expect([meta.width, meta.height]).toEqual([size.width, size.height]);
    expect(meta.face.box.y + meta.face.box.height).toBeLessThanOrEqual(meta.height);
    const stored = await get(alice, `${photosUrl()}/${photos[0]!.id}/image`);
    const storedMeta = await sharp(Buffer.from(await stored.arrayBuffer())).metadata();
    expect([storedMeta.width, storedMeta.height, storedMeta.orientation ?? 1]).toEqual([
      size.width,
      size.height,
      1,
    ]);
    await fetch(`${photosUrl()}/${photos[0]!.id}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });
  });

  it('lists, reads and serves the enrolled photos to their owner only', async () => {
    const list = (await (await get(alice, photosUrl())).json()) as {
      items: { id: string; enrolled: boolean; imageUrl: string; mimeType: string; width: number }[];
    };
    expect(list.items).toHaveLength(2);
    const first = list.items[0]!;
    expect(first).toMatchObject({ enrolled: true, mimeType: 'image/jpeg', width: 1920 });

    const meta = await get(alice, `${photosUrl()}/${first.id}`);
    expect(await meta.json()).toEqual(first);

    const image = await get(alice, `${t.baseUrl}${first.imageUrl}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    expect(image.headers.get('cache-control')).toMatch(/^private/);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(groupPhoto);

    const person = (await (
      await get(alice, `${t.baseUrl}/api/missing-persons/${caseId}`)
    ).json()) as { photoCount: number };
    expect(person.photoCount).toBe(2);

    const references = await loadReferenceFaces(t.deps, caseId);
    expect(references).toHaveLength(2);
    expect(references[0]!.descriptor).toBeInstanceOf(Float32Array);
    expect(references[0]!.descriptor.length).toBe(128);
    expect(references[0]!.faceSize).toBeGreaterThan(40);
  });

  it('describes a photo again when its embedding was made by another version of the engine', async () => {
    const current = await loadReferenceFaces(t.deps, caseId);
    // As an upgrade finds them: descriptors of an older engine, not comparable with today's.
    await t.deps.db
      .updateTable('facial_embeddings')
      .set({ model_version: '0.0.1', vector: embeddingToBytes(new Float32Array(128)) })
      .where('missing_person_id', '=', caseId)
      .execute();
    const renewed = await loadReferenceFaces(t.deps, caseId);
    expect(renewed).toHaveLength(current.length);
    renewed.forEach((reference, i) => {
      // The group photo's face is the one the user picked, not the first of the three.
      expect(euclidean(reference.descriptor, current[i]!.descriptor)).toBeLessThan(0.01);
    });
    const versions = await t.deps.db
      .selectFrom('facial_embeddings')
      .select('model_version')
      .where('missing_person_id', '=', caseId)
      .execute();
    expect(versions.map((row) => row.model_version)).toEqual(
      current.map(() => t.deps.faces.modelVersion),
    );
  });

  it("answers 404 to another user for the case's photos, their images and uploads", async () => {
    const [photo] = ((await (await get(alice, photosUrl())).json()) as { items: { id: string }[] })
      .items;
    const urls = [photosUrl(), `${photosUrl()}/${photo!.id}`, `${photosUrl()}/${photo!.id}/image`];
    for (const url of urls) {
      const response = await get(bob, url);
      expect(response.status, url).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    const deleted = await fetch(`${photosUrl()}/${photo!.id}`, {
      method: 'DELETE',
      headers: bearer(bob.token),
    });
    expect(deleted.status).toBe(404);
    const uploaded = await upload(bob, photoForm([{ name: 'x.jpg', data: groupPhoto }], 0));
    expect(uploaded.status).toBe(404);
    expect((await get(alice, `${photosUrl()}/${photo!.id}/image`)).status).toBe(200);
    expect((await fetch(photosUrl())).status).toBe(401);
  });

  it('deletes a photo with its embedding and file', async () => {
    const { items } = (await (await get(alice, photosUrl())).json()) as { items: { id: string }[] };
    const target = items[0]!.id;
    const response = await fetch(`${photosUrl()}/${target}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });
    expect(response.status).toBe(204);
    expect((await get(alice, `${photosUrl()}/${target}`)).status).toBe(404);
    expect(caseFiles()).toHaveLength(1);
    expect(await loadReferenceFaces(t.deps, caseId)).toHaveLength(1);
  });

  it('deletes the case with its remaining photos, embeddings and files', async () => {
    const response = await fetch(`${t.baseUrl}/api/missing-persons/${caseId}`, {
      method: 'DELETE',
      headers: bearer(alice.token),
    });
    expect(response.status).toBe(204);
    expect(caseFiles()).toEqual([]);
    const embeddings = await t.deps.db
      .selectFrom('facial_embeddings')
      .select('id')
      .where('missing_person_id', '=', caseId)
      .execute();
    expect(embeddings).toEqual([]);
  });
});

describe.each(testDialects)('photo size limit on $name', (dialect) => {
  let t: TestApp;
  let user: LoggedInUser;
  beforeAll(async () => {
    t = await startTestApp(dialect, { MAX_PHOTO_BYTES: '50000', FACE_WORKERS: '1' });
    user = await signUp(t.baseUrl);
  });
  afterAll(() => t.close());

  it('refuses a photo above MAX_PHOTO_BYTES on its own, without enrolling it', async () => {
    const created = await fetch(`${t.baseUrl}/api/missing-persons`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: 'Big', lastName: 'Photo' }),
    });
    const { id } = (await created.json()) as { id: string };
    expect(groupPhoto.length).toBeGreaterThan(50000);
    const response = await fetch(`${t.baseUrl}/api/missing-persons/${id}/photos`, {
      method: 'POST',
      headers: bearer(user.token),
      body: photoForm([{ name: 'huge.jpg', data: groupPhoto }], 0),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      photos: [{ id: null, enrolled: false, error: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });
});

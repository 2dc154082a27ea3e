import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, referenceFace } from '../../src/recognition/face-engine.js';
import type {
  EnrolResult,
  FaceEngine,
  ReferenceFace,
} from '../../src/recognition/recognition.types.js';
import { resolveSettings } from '../../src/recognition/presets.js';
import { similarityToReferences } from '../../src/recognition/similarity.js';
import { demoPhoto, portrait } from '../support/recognition.fixtures.js';

let engine: FaceEngine;
beforeAll(() => {
  engine = createFaceEngine({ workers: 2 });
});
afterAll(async () => {
  await engine.close();
});

function referenceOf(result: EnrolResult): ReferenceFace {
  if (!result.ok) throw new Error(`expected a face, got ${result.code}`);
  return referenceFace(result);
}

/** How sure the engine is that `probe` shows the person of `reference`. */
function similarity(reference: ReferenceFace, probe: ReferenceFace): number {
  return similarityToReferences(probe.descriptor, [reference]);
}

describe('face engine enrolment', () => {
  it('finds and embeds the one face of a portrait, with its box and model', async () => {
    const result = await engine.enrolPhoto(await portrait(1, 0));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.descriptor).toHaveLength(128);
    expect(result.box.width).toBeGreaterThan(120);
    expect(result.box.x).toBeGreaterThan(60);
    expect(result.quality).toBeGreaterThan(0.3);
    expect(result.modelName).toBe(engine.modelName);
    expect(result.modelVersion).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('gives the same person a high similarity after resizing and brightening the photo', async () => {
    const original = referenceOf(await engine.enrolPhoto(await portrait(1, 0)));
    const changed = await sharp(await portrait(1, 0, 220))
      .modulate({ brightness: 1.35 })
      .jpeg({ quality: 70 })
      .toBuffer();
    const changedFace = referenceOf(await engine.enrolPhoto(changed));
    expect(similarity(original, changedFace)).toBeGreaterThan(0.85);
  });

  it('recognises the person with the head tilted (the face is turned upright before it is described)', async () => {
    const upright = referenceOf(await engine.enrolPhoto(await portrait(1, 0)));
    const tilted = await sharp(await portrait(1, 0))
      .rotate(25, { background: '#808080' })
      .jpeg()
      .toBuffer();
    expect(similarity(upright, referenceOf(await engine.enrolPhoto(tilted)))).toBeGreaterThan(0.9);
  });

  it('keeps two different people far apart', async () => {
    const a = referenceOf(await engine.enrolPhoto(await portrait(1, 0)));
    const b = referenceOf(await engine.enrolPhoto(await portrait(5, 2)));
    const c = referenceOf(await engine.enrolPhoto(await portrait(6, 1)));
    expect(similarity(a, b)).toBeLessThan(0.2);
    expect(similarity(a, c)).toBeLessThan(0.2);
  });

  it('reports NO_FACE_IN_PHOTO for a photo without a face', async () => {
    const landscape = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#7aa0c8' },
    })
      .composite([
        {
          input: await sharp({
            create: { width: 640, height: 200, channels: 3, background: '#3c6e35' },
          })
            .png()
            .toBuffer(),
          top: 280,
          left: 0,
        },
      ])
      .jpeg()
      .toBuffer();
    const result = await engine.enrolPhoto(landscape);
    expect(result).toMatchObject({ ok: false, code: 'NO_FACE_IN_PHOTO' });
  });

  it('reports MULTIPLE_FACES with every box for a group photo, and enrols the face picked by index', async () => {
    const group = demoPhoto(1);
    const result = await engine.enrolPhoto(group);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('MULTIPLE_FACES');
    expect(result.faces).toHaveLength(3);
    const xs = result.faces!.map((box) => box.x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));

    const picked = await engine.enrolPhoto(group, { faceIndex: 2 });
    expect(picked.ok).toBe(true);
    if (!picked.ok) return;
    expect(Math.abs(picked.box.x - result.faces![2]!.x)).toBeLessThan(5);
    const alone = referenceOf(await engine.enrolPhoto(await portrait(1, 2)));
    expect(similarity(alone, referenceFace(picked))).toBeGreaterThan(0.85);
  });

  it('reports FACE_TOO_SMALL for a face only a few dozen pixels wide', async () => {
    const result = await engine.enrolPhoto(await portrait(1, 0, 70));
    expect(result).toMatchObject({ ok: false, code: 'FACE_TOO_SMALL' });
  });

  it('reports UNSUPPORTED_IMAGE for bytes that are not an image', async () => {
    const garbage = Buffer.from(
      'this is not an image, just text renamed to photo.jpg\n'.repeat(50),
    );
    expect(await engine.enrolPhoto(garbage)).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_IMAGE',
    });
  });
});

describe('face engine detection', () => {
  it('refuses a frame whose pixels it was handed before, and goes on answering', async () => {
    const grey = () => ({
      data: new Uint8Array(320 * 240 * 3).fill(128),
      width: 320,
      height: 240,
      timeMs: 0,
      sourceWidth: 320,
      sourceHeight: 240,
    });
    const settings = resolveSettings('fast');
    const frame = grey();
    const first = await engine.detectFaces(frame, settings);
    expect(first.frame.data.length).toBe(320 * 240 * 3);
    await expect(engine.detectFaces(frame, settings)).rejects.toThrow(/use the frame it returns/);
    expect((await engine.detectFaces(first.frame, settings)).faces).toEqual([]);
    expect((await engine.detectFaces(grey(), settings)).faces).toEqual([]);
  });
});

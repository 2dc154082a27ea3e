import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaceEngine, surroundTightCrop } from '../../src/recognition/face-engine.js';
import { resolveSettings } from '../../src/recognition/presets.js';
import type { FaceEngine, RgbFrame } from '../../src/recognition/recognition.types.js';

const dataset = path.resolve('../shared/datasets/faces-8-identities');
const available = existsSync(dataset);
if (!available) console.warn(`skipping small-face tests: ${dataset} is absent`);

let engine: FaceEngine;
beforeAll(() => {
  engine = createFaceEngine({ workers: 1 });
});
afterAll(async () => {
  await engine.close();
});

/** A textured 1280×720 backdrop (seeded noise, blurred), as in `npm run eval`. */
async function backdrop(): Promise<Buffer> {
  const noise = Buffer.alloc(1280 * 720 * 3);
  let seed = 12345;
  for (let i = 0; i < noise.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    noise[i] = 60 + (seed % 120);
  }
  return sharp(noise, { raw: { width: 1280, height: 720, channels: 3 } })
    .blur(6)
    .png()
    .toBuffer();
}

/**
 * A 1280×720 frame with one of the dataset's tight crops, shrunk so the face is `faceSize` px and
 * surrounded as a face sits in a frame, pasted at (600, 300).
 */
async function frameWith(file: string, faceSize: number): Promise<RgbFrame> {
  const face = await sharp(path.join(dataset, file))
    .resize(faceSize, faceSize)
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const margin = Math.round(faceSize * 0.3);
  const sprite = await (
    await surroundTightCrop(face.data, face.info, margin, margin)
  )
    .png()
    .toBuffer();
  const data = await sharp(await backdrop())
    .composite([{ input: sprite, left: 600 - margin, top: 300 - margin }])
    .removeAlpha()
    .raw()
    .toBuffer();
  return {
    data: new Uint8Array(data),
    width: 1280,
    height: 720,
    timeMs: 0,
    sourceWidth: 1280,
    sourceHeight: 720,
  };
}

describe.skipIf(!available)('small faces where the picture changed', () => {
  it('finds a 40 px face cut at the brow, as small as the balanced preset accepts', async () => {
    // leonard5 is cropped at the eyebrows; searched at the frame's own resolution TinyFaceDetector
    // misses it in most regions around it. Detection this close to its limit varies with the region,
    // hence several.
    const found: number[] = [];
    for (const side of [160, 192, 256, 320]) {
      const region = { x: 620 - side / 2, y: 320 - side / 2, width: side, height: side };
      const result = await engine.detectFaces(
        await frameWith('leonard/leonard5.png', 40),
        resolveSettings('balanced'),
        { regions: [{ box: region }], wholeFrame: false },
      );
      const face = result.faces.find((f) => Math.abs(f.box.x - 600) < 20 && f.descriptor);
      if (face) found.push(side);
    }
    expect(found.length).toBeGreaterThanOrEqual(3);
  });
});

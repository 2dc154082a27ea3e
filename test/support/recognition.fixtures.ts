import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import type { Box, RgbFrame } from '../../src/recognition/recognition.types.js';

const require = createRequire(import.meta.url);
const demoDir = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
);

export function demoPhoto(n: number): Buffer {
  return readFileSync(path.join(demoDir, `sample${n}.jpg`));
}

/** Faces in the demo photos (SSD boxes), left to right. */
const DEMO_FACES: Record<string, Box> = {
  '1/0': { x: 414, y: 354, width: 177, height: 240 },
  '1/2': { x: 1476, y: 200, width: 203, height: 239 },
  '3/1': { x: 1076, y: 215, width: 219, height: 300 },
  '4/1': { x: 665, y: 51, width: 186, height: 260 },
  '5/2': { x: 786, y: 111, width: 156, height: 210 },
  '6/1': { x: 681, y: 321, width: 158, height: 308 },
};

/** A portrait of one person: one demo face with a margin around it, as a JPEG. */
export async function portrait(sample: number, face: number, width?: number): Promise<Buffer> {
  const box = DEMO_FACES[`${sample}/${face}`]!;
  const margin = Math.round(box.width * 0.6);
  const image = sharp(demoPhoto(sample)).extract({
    left: Math.max(0, box.x - margin),
    top: Math.max(0, box.y - margin),
    width: box.width + 2 * margin,
    height: box.height + 2 * margin,
  });
  const buffer = await image.jpeg().toBuffer();
  return width ? sharp(buffer).resize({ width }).jpeg().toBuffer() : buffer;
}

export interface Placement {
  image: Buffer;
  left: number;
  top: number;
  width: number;
}

/** A 1280×720 RGB frame: a plain backdrop with the given portraits pasted on it. */
export async function sceneFrame(
  timeMs: number,
  placements: Placement[],
  size = { width: 1280, height: 720 },
): Promise<RgbFrame> {
  const layers = await Promise.all(
    placements.map(async (p) => ({
      input: await sharp(p.image).resize({ width: p.width }).toBuffer(),
      left: p.left,
      top: p.top,
    })),
  );
  const { data, info } = await sharp({
    create: { width: size.width, height: size.height, channels: 3, background: '#5a6470' },
  })
    .composite(layers)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice(),
    width: info.width,
    height: info.height,
    timeMs,
    sourceWidth: info.width,
    sourceHeight: info.height,
  };
}

import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaAdapter } from '../../src/media/media.adapter.js';
import type { RgbFrame } from '../../src/recognition/recognition.types.js';
import {
  binaries,
  ffmpeg,
  mediaChildren,
  scratchDir,
  testPattern,
} from '../support/media-fixtures.js';

const media = createMediaAdapter(binaries);
const scratch = scratchDir('mpf-media-output-');
const file = scratch.file;

beforeAll(async () => {
  await testPattern(file('pattern.mp4'), { seconds: 6, size: '640x480' });
  // What old cameras and phones produce: MPEG-4 Part 2 video with MP3 audio in an AVI.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25:duration=3',
    '-f',
    'lavfi',
    '-i',
    'sine=duration=3',
    '-c:v',
    'mpeg4',
    '-q:v',
    '5',
    '-c:a',
    'libmp3lame',
    '-shortest',
    file('camera.avi'),
  ]);
  await ffmpeg([
    '-i',
    file('pattern.mp4'),
    '-c',
    'copy',
    '-metadata:s:v:0',
    'rotate=90',
    file('rotated.mp4'),
  ]);
});

afterAll(() => scratch.remove());

async function firstFrame(path: string, maxSide: number): Promise<RgbFrame> {
  for await (const frame of media.decodeFrames(path, { sampledFps: 1, maxSide })) return frame;
  throw new Error('no frame');
}

describe('extractPoster', () => {
  it('returns a JPEG of the frame at the asked time, at most maxSide wide', async () => {
    const jpeg = await media.extractPoster(file('pattern.mp4'), { atMs: 2500, maxSide: 320 });
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
  });

  it('falls back to the first frame when asked past the end', async () => {
    const jpeg = await media.extractPoster(file('pattern.mp4'), { atMs: 60_000 });
    expect((await sharp(jpeg).metadata()).width).toBe(640);
  });
});

describe('cutClip', () => {
  it('cuts a padded range into an H.264 MP4 with audio that browsers play', async () => {
    const out = file('clip.mp4');
    const range = await media.cutClip(
      file('pattern.mp4'),
      { startMs: 2000, endMs: 3000, padMs: 500 },
      out,
    );
    expect(range).toEqual({ startMs: 1500, endMs: 3500 });
    const info = await media.probeVideo(out);
    expect(info).toMatchObject({ codec: 'h264', hasAudio: true, browserPlayable: true });
    expect(info.formatName).toContain('mp4');
    expect(Math.abs(info.durationMs - 2000)).toBeLessThanOrEqual(120);
  });

  it('cuts a rotated phone video upright, so it plays the right way up without a display matrix', async () => {
    await media.cutClip(file('rotated.mp4'), { startMs: 1000, endMs: 2000 }, file('upright.mp4'));
    const info = await media.probeVideo(file('upright.mp4'));
    expect(info).toMatchObject({ rotation: 0, width: 480, height: 640 });
  });

  it('clamps the padding at the start and end of the video', async () => {
    const range = await media.cutClip(
      file('pattern.mp4'),
      { startMs: 500, endMs: 5800, padMs: 2000 },
      file('edges.mp4'),
    );
    expect(range).toEqual({ startMs: 0, endMs: 6000 });
  });
});

describe('makeBrowserRendition', () => {
  it('turns an MPEG-4 Part 2 AVI into a browser-playable H.264 MP4, reporting rising progress', async () => {
    const source = await media.probeVideo(file('camera.avi'));
    expect(source).toMatchObject({ codec: 'mpeg4', browserPlayable: false });

    const progress: number[] = [];
    await media.makeBrowserRendition(file('camera.avi'), file('camera.mp4'), {
      onProgress: (fraction) => progress.push(fraction),
    });
    const info = await media.probeVideo(file('camera.mp4'));
    expect(info).toMatchObject({ codec: 'h264', hasAudio: true, browserPlayable: true });
    expect(Math.abs(info.durationMs - source.durationMs)).toBeLessThanOrEqual(150);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('stops ffmpeg and removes the partial output when aborted', async () => {
    const controller = new AbortController();
    const out = file('aborted.mp4');
    const run = media.makeBrowserRendition(file('pattern.mp4'), out, {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(existsSync(out)).toBe(false);
    expect(mediaChildren()).toEqual([]);
  });
});

describe('encodeJpeg', () => {
  // Frames are decoded at half size; boxes are given in pixels of the 640×480 source.
  const face = { x: 200, y: 100, width: 100, height: 100 };

  it('crops the face with a margin around it, in decoded-frame pixels', async () => {
    const frame = await firstFrame(file('pattern.mp4'), 320);
    const jpeg = await media.faceCropJpeg(frame, face);
    // Box in frame pixels: 100,50 50×50; 40 % margin on each side → 90×90.
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 90, height: 90 });
  });

  it('keeps a crop at the frame edge inside the frame', async () => {
    const frame = await firstFrame(file('pattern.mp4'), 320);
    const jpeg = await media.encodeJpeg(frame, { crop: { x: 600, y: 440, width: 80, height: 80 } });
    const meta = await sharp(jpeg).metadata();
    expect(meta.width).toBeLessThanOrEqual(320 - 284);
    expect(meta.height).toBeLessThanOrEqual(240 - 204);
  });

  it('draws the face box in red on the whole frame', async () => {
    const frame = await firstFrame(file('pattern.mp4'), 320);
    const jpeg = await media.annotatedFrameJpeg(frame, face);
    const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual({ width: 320, height: 240 });
    const pixel = (x: number, y: number) => [
      ...data.subarray((y * 320 + x) * 3, (y * 320 + x) * 3 + 3),
    ];
    // Middle of the box's left edge (x = 100 in frame pixels).
    const [r, g, b] = pixel(100, 75);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(110);
    expect(b).toBeLessThan(110);
    const plain = frame.data.subarray((75 * 320 + 100) * 3, (75 * 320 + 100) * 3 + 3);
    expect(plain[0]! > 180 && plain[1]! < 110 && plain[2]! < 110).toBe(false);
  });
});

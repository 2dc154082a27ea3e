import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaAdapter } from '../../src/media/media.adapter.js';
import type { RgbFrame } from '../../src/recognition/recognition.types.js';
import {
  FAST_H264,
  binaries,
  ffmpeg,
  mediaChildren,
  scratchDir,
  testPattern,
} from '../support/media-fixtures.js';

const media = createMediaAdapter(binaries);
const scratch = scratchDir('mpf-media-decode-');
const file = scratch.file;

beforeAll(async () => {
  await testPattern(file('pattern.mp4'));
  // Left half red, right half blue, stored landscape with a quarter-turn display matrix.
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'color=c=red:size=160x240:duration=2,format=yuv420p[l];color=c=blue:size=160x240:duration=2[r];[l][r]hstack',
    ...FAST_H264,
    file('landscape.mp4'),
  ]);
  await ffmpeg([
    '-i',
    file('landscape.mp4'),
    '-c',
    'copy',
    '-metadata:s:v:0',
    'rotate=90',
    file('rotated.mp4'),
  ]);
  await ffmpeg(['-i', file('pattern.mp4'), '-c', 'copy', '-f', 'mpegts', file('cctv-export.ts')]);
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=duration=3', '-c:a', 'aac', file('audio-only.m4a')]);
  writeFileSync(file('empty.mp4'), '');
  writeFileSync(file('notes.mp4'), 'Shopping list\nmilk\neggs\n'.repeat(50));
  // Without +faststart the index sits at the end, so a cut-off upload has none.
  await testPattern(file('no-faststart.mp4'), { audio: false, faststart: false });
  const whole = readFileSync(file('no-faststart.mp4'));
  writeFileSync(file('corrupt.mp4'), whole.subarray(0, Math.floor(whole.length / 2)));
  // With the index up front, a cut-off file probes fine and fails only part-way through decoding.
  const indexed = readFileSync(file('pattern.mp4'));
  writeFileSync(file('truncated.mp4'), indexed.subarray(0, Math.floor(indexed.length * 0.4)));
});

afterAll(() => scratch.remove());

async function collect(source: AsyncIterable<RgbFrame>): Promise<RgbFrame[]> {
  const frames: RgbFrame[] = [];
  for await (const frame of source) frames.push(frame);
  return frames;
}

describe('probeVideo', () => {
  it('reports duration, frame rate, size, codec and audio of an H.264 MP4', async () => {
    const info = await media.probeVideo(file('pattern.mp4'));
    expect(info).toMatchObject({
      fps: 25,
      width: 320,
      height: 240,
      codec: 'h264',
      rotation: 0,
      hasAudio: true,
      browserPlayable: true,
    });
    expect(info.durationMs).toBeGreaterThanOrEqual(3960);
    expect(info.durationMs).toBeLessThanOrEqual(4100);
    expect(info.formatName).toContain('mp4');
  });

  it('reads an MPEG-TS export, as CCTV recorders write them', async () => {
    const info = await media.probeVideo(file('cctv-export.ts'));
    expect(info).toMatchObject({ width: 320, height: 240, codec: 'h264', browserPlayable: false });
    expect(info.durationMs).toBeGreaterThanOrEqual(3900);
    const frames = await collect(
      media.decodeFrames(file('cctv-export.ts'), { sampledFps: 5, maxSide: 160, info }),
    );
    expect(frames.length).toBeGreaterThanOrEqual(19);
    expect(frames.length).toBeLessThanOrEqual(21);
  });

  it('reports a rotated phone-style video in its displayed orientation', async () => {
    const info = await media.probeVideo(file('rotated.mp4'));
    expect([90, 270]).toContain(info.rotation);
    expect({ width: info.width, height: info.height }).toEqual({ width: 240, height: 320 });
  });

  it.each([
    ['a zero-length file', 'empty.mp4', 'EMPTY_FILE'],
    ['an audio-only file', 'audio-only.m4a', 'NO_VIDEO_STREAM'],
    ['a text file renamed .mp4', 'notes.mp4', 'UNSUPPORTED_VIDEO'],
    ['a corrupt (cut-off) video', 'corrupt.mp4', 'UNSUPPORTED_VIDEO'],
  ])('rejects %s with %s and leaves no ffmpeg behind', async (_what, name, code) => {
    await expect(media.probeVideo(file(name))).rejects.toMatchObject({ code });
    await expect(
      collect(media.decodeFrames(file(name), { sampledFps: 5, maxSide: 160 })),
    ).rejects.toMatchObject({
      code,
    });
    expect(mediaChildren()).toEqual([]);
  });

  it('reports a missing ffprobe binary as UNAVAILABLE, not as a bad video', async () => {
    const broken = createMediaAdapter({ ...binaries, ffprobePath: file('no-such-ffprobe') });
    await expect(broken.probeVideo(file('pattern.mp4'))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
    });
  });

  it('rejects a JPEG photo renamed .mp4 as not a video', async () => {
    copyFileSync('node_modules/@vladmandic/face-api/demo/sample1.jpg', file('photo.mp4'));
    await expect(media.probeVideo(file('photo.mp4'))).rejects.toMatchObject({
      code: 'UNSUPPORTED_VIDEO',
    });
  });
});

describe('decodeFrames', () => {
  it('samples a 4 s 25 fps video at 5 fps: 20 frames at 0, 200, …, 3800 ms of the asked size', async () => {
    const frames = await collect(
      media.decodeFrames(file('pattern.mp4'), { sampledFps: 5, maxSide: 160 }),
    );
    expect(frames).toHaveLength(20);
    frames.forEach((frame, i) => {
      expect(Math.abs(frame.timeMs - i * 200)).toBeLessThanOrEqual(40);
      expect(frame).toMatchObject({ width: 160, height: 120, sourceWidth: 320, sourceHeight: 240 });
      expect(frame.data.length).toBe(160 * 120 * 3);
    });
  });

  it('frames differ over time (real pictures, not one frame repeated)', async () => {
    const frames = await collect(
      media.decodeFrames(file('pattern.mp4'), { sampledFps: 1, maxSide: 160 }),
    );
    expect(Buffer.compare(Buffer.from(frames[0]!.data), Buffer.from(frames[1]!.data))).not.toBe(0);
  });

  it('resumes at startMs with exactly the frames an uninterrupted run has from there on', async () => {
    const all = await collect(
      media.decodeFrames(file('pattern.mp4'), { sampledFps: 5, maxSide: 160 }),
    );
    for (const startMs of [2000, 2100]) {
      const resumed = await collect(
        media.decodeFrames(file('pattern.mp4'), { sampledFps: 5, maxSide: 160, startMs }),
      );
      const expected = all.filter((f) => f.timeMs >= startMs);
      expect(resumed.map((f) => f.timeMs)).toEqual(expected.map((f) => f.timeMs));
      expect(Buffer.from(resumed[0]!.data).equals(Buffer.from(expected[0]!.data))).toBe(true);
    }
  });

  it('hands out rotated video upright, consistently with the reported rotation', async () => {
    const info = await media.probeVideo(file('rotated.mp4'));
    const [frame] = await collect(
      media.decodeFrames(file('rotated.mp4'), { sampledFps: 1, maxSide: 320 }),
    );
    expect(frame).toMatchObject({ width: 240, height: 320 });
    const red = (x: number, y: number) => frame!.data[(y * frame!.width + x) * 3]! > 150;
    // Turning clockwise by 90° brings the (red) left half to the top; by 270° to the bottom.
    expect(red(120, 20)).toBe(info.rotation === 90);
    expect(red(120, 300)).toBe(info.rotation === 270);
  });

  it('stops ffmpeg when the consumer breaks out of the loop', async () => {
    const seen: number[] = [];
    let aliveWhileDecoding: string[] = [];
    for await (const frame of media.decodeFrames(file('pattern.mp4'), {
      sampledFps: 25,
      maxSide: 320,
    })) {
      aliveWhileDecoding = mediaChildren();
      seen.push(frame.timeMs);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([0, 40, 80]);
    expect(aliveWhileDecoding).toHaveLength(1);
    expect(mediaChildren()).toEqual([]);
  });

  it('stops ffmpeg and rejects with the abort reason when the signal aborts mid-decode', async () => {
    const controller = new AbortController();
    const frames: RgbFrame[] = [];
    const run = async () => {
      for await (const frame of media.decodeFrames(file('pattern.mp4'), {
        sampledFps: 25,
        maxSide: 320,
        signal: controller.signal,
      })) {
        frames.push(frame);
        if (frames.length === 3) controller.abort();
        // A slow consumer: ffmpeg sits blocked on the full pipe when the abort comes.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await expect(run()).rejects.toMatchObject({ name: 'AbortError' });
    expect(frames.length).toBeLessThan(10);
    expect(mediaChildren()).toEqual([]);
  });

  it('reports a file cut off part-way as an error after the frames it could decode', async () => {
    const frames: RgbFrame[] = [];
    const run = async () => {
      for await (const frame of media.decodeFrames(file('truncated.mp4'), {
        sampledFps: 5,
        maxSide: 160,
      })) {
        frames.push(frame);
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'UNSUPPORTED_VIDEO' });
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(20);
    expect(mediaChildren()).toEqual([]);
  });
});

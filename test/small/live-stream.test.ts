import { describe, expect, it } from 'vitest';
import { frameSplitter, newestSlot, streamInfoReader } from '../../src/media/live.stream.js';

/** ffmpeg's log of a feed relayed and sampled by one run (input, then the two outputs). */
const LOG = [
  "[info] Input #0, mpegts, from 'http://127.0.0.1:8554/feed.ts':",
  '[info]   Stream #0:0[0x100]: Video: mpeg2video (Main) ([2][0][0][0] / 0x0002), yuv420p(tv, progressive), 1280x720 [SAR 1:1 DAR 16:9], 25 fps',
  "[info] Output #0, rawvideo, to 'pipe:1':",
  '[info]   Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, progressive), 640x360 [SAR 1:1 DAR 16:9], q=2-31, 2 fps',
  "[info] Output #1, hls, to 'index.m3u8':",
  '[info]   Stream #1:0: Video: h264, yuv420p(progressive), 1280x720, q=2-31, 25 fps',
];

describe("reading ffmpeg's log of a live run", () => {
  it("tells the input's codec once, the source size and the frames' size", async () => {
    const codecs: string[] = [];
    const info = streamInfoReader((codec) => codecs.push(codec));
    for (const line of LOG) info.readLine(line);
    await info.sizeReady;
    expect(codecs).toEqual(['mpeg2video']);
    expect(info.source()).toEqual({ width: 1280, height: 720 });
    expect(info.output()).toEqual({ width: 640, height: 360 });
  });

  it('lets a reader waiting for the size go on when ffmpeg exits first', async () => {
    const info = streamInfoReader(() => undefined);
    info.giveUp();
    await info.sizeReady;
    expect(info.output()).toBeUndefined();
  });
});

describe('cutting raw RGB output into frames', () => {
  it('joins frames split across chunks and splits chunks holding several frames', () => {
    const frames: number[][] = [];
    const split = frameSplitter((data) => frames.push([...data]));
    const size = { width: 1, height: 2 };
    split(Buffer.from([1, 2, 3, 4]), size);
    split(Buffer.from([5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]), size);
    expect(frames).toEqual([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
      [13, 14, 15, 16, 17, 18],
    ]);
  });
});

describe('the newest-frame slot', () => {
  it('keeps only the newest item and counts the ones replaced unread', async () => {
    let dropped = 0;
    const slot = newestSlot<string>(() => (dropped += 1));
    const woken = slot.wait();
    slot.offer('a');
    await woken;
    slot.offer('b');
    slot.offer('c');
    expect(slot.take()).toBe('c');
    expect(slot.take()).toBeUndefined();
    expect(dropped).toBe(2);
  });
});

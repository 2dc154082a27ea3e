import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaAdapter } from '../../src/media/media.adapter.js';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';
import type { LiveFrame } from '../../src/media/live.frames.js';
import { openRelayFile, startHlsRelay, type HlsRelay } from '../../src/media/live.relay.js';
import { createOutboundPolicy } from '../../src/net/outbound-policy.js';
import { createLocalStorage } from '../../src/storage/local.storage.js';
import { createS3Storage, parseS3Url } from '../../src/storage/s3.storage.js';
import type { Storage } from '../../src/storage/storage.types.js';
import { ffmpeg, mediaChildren, scratchDir } from '../support/media-fixtures.js';
import { S3_CREDENTIALS, startS3Server, type TestS3Server } from '../support/s3-server.js';
import { makeFaceStreamVideo, startTsFeed } from '../support/stream-servers.js';

const media = createMediaAdapter(resolveMediaBinaries({}));
/** The test cameras listen on loopback, which the policy allows only when told to. */
const policy = createOutboundPolicy({
  purpose: 'live feed',
  allowedNetworks: ['127.0.0.0/8'],
  allowPrivate: true,
});
const scratch = scratchDir('mpf-live-relay-');
let h264: string;
let mpeg2: string;
let s3: TestS3Server;

beforeAll(async () => {
  h264 = makeFaceStreamVideo(scratch.file('h264.mp4'), { seconds: 10, size: '320x240' });
  mpeg2 = scratch.file('mpeg2.mp4');
  await ffmpeg(['-y', '-i', h264, '-c:v', 'mpeg2video', '-g', '12', '-q:v', '5', mpeg2]);
  s3 = await startS3Server();
}, 120_000);
afterAll(async () => {
  await s3.close();
  scratch.remove();
  expect(mediaChildren()).toEqual([]);
});

const storages: { name: string; open(root: string): Promise<Storage> }[] = [
  { name: 'local disk', open: (root) => Promise.resolve(createLocalStorage(root)) },
  {
    name: 'S3 (s3rver on loopback)',
    async open(root) {
      const location = parseS3Url(await s3.createBucket());
      const scratchRoot = path.join(root, 'tmp');
      return createS3Storage({ location, credentials: S3_CREDENTIALS, scratchRoot });
    },
  },
];

/** Reads frames and waits for a published segment, over one connection of the adapter. */
async function watch(url: string, relay: HlsRelay): Promise<LiveFrame[]> {
  const stop = new AbortController();
  const connection = media.openLiveFeed(url, {
    policy,
    sampledFps: 4,
    maxSide: 160,
    epochMs: Date.now(),
    signal: stop.signal,
    relay,
  });
  const frames: LiveFrame[] = [];
  for await (const frame of connection) {
    frames.push(frame);
    if (frames.length >= 3 && relay.segments().length > 0) break;
  }
  return frames;
}

describe.each(storages)('the HLS relay of a live feed on $name', (adapter) => {
  it('shares the one connection of a camera that serves one client, published through storage', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mpf-relay-storage-'));
    const storage = await adapter.open(root);
    const feed = await startTsFeed(h264, undefined, undefined, { maxViewers: 1 });
    const prefix = 'users/u1/searches/s1/live/v1/';
    const relay = await startHlsRelay(storage, prefix);
    try {
      const frames = await watch(feed.url, relay);
      expect(frames[0]).toMatchObject({ width: 160, height: 120 });
      expect(feed.connections).toBe(1);
      await relay.stop();
      const playlist = await openRelayFile(storage, prefix, 'index.m3u8');
      expect(playlist?.contentType).toBe('application/vnd.apple.mpegurl');
      const listed = (await text(playlist!.stream)).split('\n').filter((l) => l.endsWith('.ts'));
      expect(listed.length).toBeGreaterThan(0);
      expect(await storage.stat(`${prefix}${listed[0]}`)).toBeDefined();
      expect(await openRelayFile(storage, prefix, '../../secret.ts')).toBeNull();

      const clip = storage.scratchPath('.mp4');
      const segment = relay.segments()[0]!;
      const range = { fromMs: segment.startMs, toMs: segment.startMs + 1000 };
      expect(await media.cutRelayClip(relay, range, clip)).toEqual({
        startMs: range.fromMs,
        endMs: range.toMs,
      });
      expect(existsSync(clip)).toBe(true);
      await storage.discardScratch(clip);

      await relay.remove();
      expect(await storage.stat(`${prefix}index.m3u8`)).toBeUndefined();
      expect(existsSync(relay.outputDir)).toBe(false);
    } finally {
      await relay.remove();
      await feed.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the HLS relay of a feed that is not H.264', () => {
  it('reopens the feed once with an H.264 encoder for the browser', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'mpf-relay-storage-'));
    const storage = createLocalStorage(root);
    const feed = await startTsFeed(mpeg2);
    const relay = await startHlsRelay(storage, 'users/u1/searches/s2/live/v1/');
    try {
      await watch(feed.url, relay);
      expect(relay.expectedCodec).toBe('mpeg2video');
      expect(feed.connections).toBe(2);
      const segment = await relay.readSegment(relay.segments()[0]!);
      await storage.put('probe/segment.ts', segment);
      const stored = await storage.openLocal('probe/segment.ts');
      expect((await media.probeVideo(stored.path)).codec).toBe('h264');
    } finally {
      await relay.remove();
      await feed.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

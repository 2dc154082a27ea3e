import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';
import { openLiveFrames, type LiveFrame } from '../../src/media/live.frames.js';
import { probeLiveFeed } from '../../src/media/live.probe.js';
import { superviseLiveFeed, type FeedState } from '../../src/live/live-feed.supervisor.js';
import { createOutboundPolicy } from '../../src/net/outbound-policy.js';
import { isAppError } from '../../src/shared/app-error.js';
import { mediaChildren, scratchDir } from '../support/media-fixtures.js';
import {
  freePort,
  makeFaceStreamVideo,
  rtspServerAvailable,
  startAuthServer,
  startHangingServer,
  startRtspServer,
  startTextServer,
  startTsFeed,
  type SimpleServer,
  type TsFeed,
} from '../support/stream-servers.js';

/** The test cameras listen on loopback, which the policy allows only when told to. */
const access = {
  binaries: resolveMediaBinaries({}),
  policy: createOutboundPolicy({
    purpose: 'live feed',
    allowedNetworks: ['127.0.0.0/8'],
    allowPrivate: true,
  }),
};
const scratch = scratchDir('mpf-live-feed-');
const stoppers: (() => Promise<void>)[] = [];
let feed: TsFeed;
let video: string;

async function probeCode(url: string, timeoutMs = 4000): Promise<string> {
  try {
    await probeLiveFeed(access, url, { timeoutMs });
    return 'ok';
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
}

async function serve<T extends SimpleServer>(server: Promise<T>): Promise<T> {
  const started = await server;
  stoppers.push(() => started.stop());
  return started;
}

beforeAll(async () => {
  video = makeFaceStreamVideo(scratch.file('feed.mp4'), { seconds: 8, size: '1280x720' });
  feed = await startTsFeed(video);
  stoppers.push(() => feed.stop());
});

afterAll(async () => {
  for (const stop of stoppers.reverse()) await stop();
  scratch.remove();
  expect(mediaChildren()).toEqual([]);
});

describe('connection test of a live feed', () => {
  it('reports the codec, size and frame rate of an MPEG-TS feed over HTTP', async () => {
    const info = await probeLiveFeed(access, feed.url, { timeoutMs: 5000 });
    expect(info).toEqual({ codec: 'h264', width: 1280, height: 720, fps: 25 });
  });

  it('answers UNREACHABLE when nothing listens at the address', async () => {
    expect(await probeCode(`http://127.0.0.1:${await freePort()}/feed.ts`)).toBe('UNREACHABLE');
    expect(await probeCode(`rtsp://127.0.0.1:${await freePort()}/cam`)).toBe('UNREACHABLE');
  });

  it('answers UNSUPPORTED_STREAM when the URL serves text instead of video', async () => {
    const text = await serve(startTextServer());
    expect(await probeCode(text.url)).toBe('UNSUPPORTED_STREAM');
  });

  it('answers AUTH_REQUIRED when the server asks for credentials', async () => {
    const auth = await serve(startAuthServer());
    expect(await probeCode(auth.url)).toBe('AUTH_REQUIRED');
  });

  it('answers TIMEOUT within the time limit when the server never answers', async () => {
    const hanging = await serve(startHangingServer());
    const started = Date.now();
    expect(await probeCode(hanging.url, 2000)).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(4500);
    const rtsp = await serve(startHangingServer('rtsp'));
    expect(await probeCode(rtsp.url, 2000)).toBe('TIMEOUT');
  });

  describe.skipIf(!rtspServerAvailable())('RTSP (GStreamer RTSP server)', () => {
    it('reads an RTSP camera over TCP, frames included, and tells when it wants a password', async () => {
      const rtsp = await serve(startRtspServer(video));
      expect(await probeLiveFeed(access, rtsp.url, { timeoutMs: 5000 })).toMatchObject({
        codec: 'h264',
        width: 1280,
        height: 720,
      });
      const frames: LiveFrame[] = [];
      const connection = openLiveFrames(access, rtsp.url, {
        sampledFps: 2,
        maxSide: 640,
        epochMs: Date.now(),
      });
      for await (const frame of connection) {
        frames.push(frame);
        if (frames.length === 3) break;
      }
      expect(frames[0]).toMatchObject({ width: 640, height: 360, sourceWidth: 1280 });
      const locked = await serve(startRtspServer(video, { user: 'cam', password: 'secret' }));
      expect(await probeCode(locked.url)).toBe('AUTH_REQUIRED');
      const withPassword = locked.url.replace('rtsp://', 'rtsp://cam:secret@');
      expect(await probeCode(withPassword, 5000)).toBe('ok');
      expect(await probeCode(locked.url.replace('rtsp://', 'rtsp://cam:wrong@'))).toBe(
        'AUTH_REQUIRED',
      );
      // The server authenticates for ffmpeg: the password is not on its command line.
      const authenticated = openLiveFrames(access, withPassword, {
        sampledFps: 2,
        maxSide: 320,
        epochMs: Date.now(),
      });
      for await (const frame of authenticated) {
        expect(frame.width).toBe(320);
        const commandLines = mediaChildren().map((child) =>
          readFileSync(`/proc/${child.split(' ')[1]}/cmdline`, 'utf8'),
        );
        expect(commandLines.join('\n')).toContain('/cam');
        expect(commandLines.join('\n')).not.toContain('secret');
        break;
      }
    });
  });
});

describe('live frames', () => {
  it('samples the stream at the requested rate, scaled, stamped with the capture time', async () => {
    const epochMs = Date.now();
    const connection = openLiveFrames(access, feed.url, { sampledFps: 2, maxSide: 640, epochMs });
    const frames: LiveFrame[] = [];
    for await (const frame of connection) {
      frames.push(frame);
      if (frames.length === 6) break;
    }
    const first = frames[0]!;
    expect(first).toMatchObject({ width: 640, height: 360, sourceWidth: 1280, sourceHeight: 720 });
    expect(first.data.length).toBe(640 * 360 * 3);
    const spanMs = frames.at(-1)!.capturedAt - first.capturedAt;
    // 6 frames at 2 fps span about 2.5 s of wall time.
    expect(spanMs).toBeGreaterThan(1800);
    expect(spanMs).toBeLessThan(3500);
    expect(first.timeMs).toBe(first.capturedAt - epochMs);
    expect(connection.stats().dropped).toBe(0);
  });

  it('hands a slow consumer the newest frame and counts the ones it skipped', async () => {
    const connection = openLiveFrames(access, feed.url, {
      sampledFps: 5,
      maxSide: 320,
      epochMs: Date.now(),
    });
    const lags: number[] = [];
    let count = 0;
    for await (const frame of connection) {
      lags.push(Date.now() - frame.capturedAt);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (++count === 4) break;
    }
    const stats = connection.stats();
    // One frame a second consumed out of five produced: about four skipped per second.
    expect(stats.dropped).toBeGreaterThanOrEqual(8);
    expect(Math.max(...lags)).toBeLessThan(400);
  });

  it('notices a feed that hangs mid-stream (connection open, no picture) within the stall limit', async () => {
    const own = await startTsFeed(video);
    stoppers.push(() => own.stop());
    const connection = openLiveFrames(access, own.url, {
      sampledFps: 2,
      maxSide: 320,
      epochMs: Date.now(),
      stallMs: 1500,
    });
    let frozenAt = 0;
    await expect(async () => {
      for await (const frame of connection) {
        expect(frame.width).toBe(320);
        if (!frozenAt) {
          frozenAt = Date.now();
          await own.freeze();
        }
      }
    }).rejects.toThrow(/stalled|timed out/);
    expect(Date.now() - frozenAt).toBeLessThan(4000);
  });

  it('reports a feed that stops sending as dropped within the stall limit', async () => {
    const hanging = await serve(startHangingServer());
    const connection = openLiveFrames(access, hanging.url, {
      sampledFps: 2,
      maxSide: 320,
      epochMs: Date.now(),
      connectTimeoutMs: 1500,
    });
    const started = Date.now();
    await expect(async () => {
      for await (const frame of connection) expect(frame).toBeUndefined();
    }).rejects.toThrow(/no frame|timed out/);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('a supervised feed', () => {
  it('goes offline when the feed dies, retries with backoff and comes back online', async () => {
    const own = await startTsFeed(video);
    stoppers.push(() => own.stop());
    const states: (FeedState & { at: number })[] = [];
    const stop = new AbortController();
    const supervised = superviseLiveFeed(
      () =>
        openLiveFrames(access, own.url, {
          sampledFps: 2,
          maxSide: 320,
          epochMs: Date.now(),
          stallMs: 2000,
        }),
      {
        signal: stop.signal,
        onState: (state) => void states.push({ ...state, at: Date.now() }),
        firstBackoffMs: 300,
      },
    );
    let frames = 0;
    let killedAt = 0;
    let framesAfterRestart = 0;
    await expect(async () => {
      for await (const frame of supervised) {
        expect(frame.width).toBe(320);
        frames += 1;
        if (frames === 3) {
          killedAt = Date.now();
          await own.stop();
          setTimeout(() => void own.start(), 2500);
        }
        if (
          killedAt &&
          states.some((s) => s.state === 'offline') &&
          states.at(-1)?.state === 'online'
        ) {
          if (++framesAfterRestart === 2) stop.abort();
        }
      }
    }).rejects.toThrow();
    const offline = states.filter((s) => s.state === 'offline');
    expect(states[0]?.state).toBe('online');
    expect(offline.length).toBeGreaterThanOrEqual(2);
    expect(offline[0]!.at - killedAt).toBeLessThan(3000);
    const waits = offline.map((s) => (s.state === 'offline' ? s.retryInMs : 0));
    expect(waits.slice(0, 3)).toEqual(
      [300, 600, 1200].slice(0, waits.length > 3 ? 3 : waits.length),
    );
    expect(states.at(-1)?.state).toBe('online');
    expect(supervised.stats().reconnects).toBe(1);
  });
});

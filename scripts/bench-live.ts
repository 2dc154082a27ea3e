/*
 * npm run bench:live — how many simultaneous 1280×720 live feeds this machine analyses at 2
 * sampled frames per second each without falling behind, and how long a match takes from its
 * frame to its event.
 *
 * Each feed is an MPEG-TS stream over HTTP on loopback, played in real time by ffmpeg (`-re`,
 * looped) from a generated video in which a face walks in for 4 s of every 10 s. Each feed is
 * read exactly as a live search reads it (one ffmpeg sampling it, newest frame wins, plus the HLS
 * relay) and analysed by one shared face engine (one per process, as in the app).
 *
 * A run "keeps up" when every feed is analysed at ≥ 90 % of the sampled rate (newest-frame-wins
 * skips frames instead of queueing them, so falling behind shows as a lower analysed rate) and
 * the lag (now − capture time of the frame just analysed) stays bounded (p90 under 3 s). The
 * frame→match delay is reported beside it against its own goal (median under 1 s).
 *
 *   npm run bench:live -- [--max 6] [--seconds 40] [--fps 2] [--preset fast]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openLiveFrames } from '../src/media/live.frames.js';
import { startHlsRelay } from '../src/media/live.relay.js';
import { superviseLiveFeed } from '../src/live/live-feed.supervisor.js';
import { resolveMediaBinaries } from '../src/media/media.binaries.js';
import { createOutboundPolicy } from '../src/net/outbound-policy.js';
import { runMediaProcess } from '../src/media/media.process.js';
import { analyseFrames } from '../src/recognition/analysis.js';
import { createFaceEngine, referenceFace } from '../src/recognition/face-engine.js';
import { resolveSettings } from '../src/recognition/presets.js';
import type { FaceEngine, Preset, ReferenceFace } from '../src/recognition/recognition.types.js';
import { createLocalStorage } from '../src/storage/local.storage.js';
import { makeFaceStreamVideo, startTsFeed, type TsFeed } from '../test/support/stream-servers.js';

const { values } = parseArgs({
  options: {
    max: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '40' },
    fps: { type: 'string', default: '2' },
    preset: { type: 'string', default: 'fast' },
  },
});
const maxFeeds = Number(values.max);
const seconds = Number(values.seconds);
const sampledFps = Number(values.fps);
const preset = values.preset as Preset;
/** Measurements start after this, once every connection is up and the engine is warm. */
const SETTLE_MS = 8000;

// The benchmark's cameras are local test streams: loopback is allowed on purpose.
const access = {
  binaries: resolveMediaBinaries({}),
  policy: createOutboundPolicy({
    purpose: 'live feed',
    allowedNetworks: ['127.0.0.0/8'],
    allowPrivate: true,
  }),
};
const work = mkdtempSync(path.join(os.tmpdir(), 'mpf-bench-live-'));
const storage = createLocalStorage(path.join(work, 'storage'));

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN);
};
const p90 = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : (sorted[Math.floor((sorted.length - 1) * 0.9)] ?? NaN);
};

async function referencePhoto(out: string): Promise<string> {
  const demo = path.resolve('node_modules/@vladmandic/face-api/demo/sample1.jpg');
  await runMediaProcess(access.binaries.ffmpegPath, [
    '-loglevel',
    'error',
    '-y',
    '-i',
    demo,
    '-vf',
    'crop=326:432:340:258',
    '-frames:v',
    '1',
    out,
  ]);
  return out;
}

interface FeedResult {
  analysed: number;
  dropped: number;
  lags: number[];
  matchDelays: number[];
}

async function runFeeds(
  engine: FaceEngine,
  reference: ReferenceFace,
  feeds: TsFeed[],
): Promise<FeedResult[]> {
  const settings = resolveSettings(preset, { sampledFps });
  const stop = new AbortController();
  const measureFrom = Date.now() + SETTLE_MS;
  const until = measureFrom + seconds * 1000;
  setTimeout(() => stop.abort(), until - Date.now());
  return Promise.all(
    feeds.map(async (feed, index) => {
      const epochMs = Date.now();
      const relay = await startHlsRelay(storage, `bench/relay-${index}/`);
      const source = superviseLiveFeed(
        () =>
          openLiveFrames(access, feed.url, {
            sampledFps,
            maxSide: settings.maxSide,
            epochMs,
            signal: stop.signal,
            relay,
          }),
        { signal: stop.signal, onState: () => undefined },
      );
      const result: FeedResult = { analysed: 0, dropped: 0, lags: [], matchDelays: [] };
      const reported = new Set<string>();
      let analysedBefore = 0;
      let droppedBefore = 0;
      try {
        for await (const event of analyseFrames({
          frames: source,
          references: [reference],
          settings,
          engine,
          signal: stop.signal,
        })) {
          const now = Date.now();
          if (now < measureFrom) {
            if (event.type === 'progress') analysedBefore = event.framesAnalysed;
            droppedBefore = source.stats().dropped;
            continue;
          }
          if (event.type === 'progress') {
            result.analysed = event.framesAnalysed - analysedBefore;
            result.lags.push(now - (epochMs + event.processedMs));
          } else if (!reported.has(event.appearance.trackKey)) {
            reported.add(event.appearance.trackKey);
            result.matchDelays.push(now - (epochMs + event.appearance.endMs));
          }
        }
      } catch {
        // The abort that ends the measurement.
      }
      result.dropped = source.stats().dropped - droppedBefore;
      await relay.remove();
      return result;
    }),
  );
}

async function main(): Promise<void> {
  console.log(`Generating a 1280×720 test stream and warming up the face engine…`);
  const photo = await referencePhoto(path.join(work, 'ada.jpg'));
  const video = makeFaceStreamVideo(path.join(work, 'camera.mp4'), {
    seconds: 10,
    size: '1280x720',
    face: photo,
    fromS: 3,
    toS: 7,
  });
  const engine = createFaceEngine({});
  const enrolled = await engine.enrolPhoto(readFileSync(photo));
  if (!enrolled.ok) throw new Error(`the reference photo did not enrol: ${enrolled.code}`);
  console.log(
    `${os.cpus().length} cores, ${engine.concurrency} face workers, preset ${preset}, ` +
      `${sampledFps} sampled fps per feed, ${seconds} s measured per run\n`,
  );
  console.log(
    'feeds | analysed fps/feed (min) | skipped frames | lag median / p90 | match delay median / p90 | keeps up',
  );
  let best = 0;
  const allDelays: Record<number, number[]> = {};
  try {
    for (let n = 1; n <= maxFeeds; n++) {
      const feeds = await Promise.all(Array.from({ length: n }, () => startTsFeed(video)));
      let results: FeedResult[];
      try {
        results = await runFeeds(engine, referenceFace(enrolled), feeds);
      } finally {
        await Promise.all(feeds.map((feed) => feed.stop()));
      }
      const rates = results.map((r) => r.analysed / seconds);
      const lags = results.flatMap((r) => r.lags);
      const delays = results.flatMap((r) => r.matchDelays);
      allDelays[n] = delays;
      const keepsUp = Math.min(...rates) >= sampledFps * 0.9 && p90(lags) < 3000;
      if (keepsUp) best = n;
      console.log(
        `${String(n).padStart(5)} | ${Math.min(...rates)
          .toFixed(2)
          .padStart(23)} | ` +
          `${String(results.reduce((sum, r) => sum + r.dropped, 0)).padStart(14)} | ` +
          `${`${median(lags)} / ${p90(lags)} ms`.padStart(16)} | ` +
          `${`${median(delays)} / ${p90(delays)} ms (${delays.length})`.padStart(24)} | ${keepsUp ? 'yes' : 'no'}`,
      );
      if (!keepsUp) break;
    }
  } finally {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  }
  const delays = allDelays[best] ?? [];
  console.log(
    `\nLargest number of feeds analysed without falling behind: ${best}` +
      (best > 0 ? `; median frame→match delay at ${best} feeds: ${median(delays)} ms` : ''),
  );
}

await main();

import { chmodSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMediaAdapter } from '../../src/media/media.adapter.js';
import { resolveMediaBinaries, type MediaConfig } from '../../src/media/media.binaries.js';
import { scratchDir, testPattern } from '../support/media-fixtures.js';

const scratch = scratchDir('mpf-media-limits-test-');
const file = scratch.file;
const realPath = process.env.PATH;

/** An executable shell script at `dir/name`. */
function script(dir: string, name: string, body: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, `#!/bin/sh\n${body}\n`);
  chmodSync(target, 0o755);
  return target;
}

beforeAll(async () => {
  await testPattern(file('clip.mp4'), { seconds: 1, fps: 5, size: '64x48', audio: false });
});
afterAll(() => scratch.remove());
afterEach(() => {
  process.env.PATH = realPath;
});

describe('which ffmpeg runs', () => {
  const onPath = (version: string) => {
    const dir = scratchDir(`mpf-fake-ffmpeg-${version}-`);
    for (const name of ['ffmpeg', 'ffprobe']) {
      script(
        dir.dir,
        name,
        `echo "${name} version ${version} Copyright (c) the FFmpeg developers"`,
      );
    }
    process.env.PATH = `${dir.dir}${path.delimiter}${realPath ?? ''}`;
    return dir;
  };

  it('prefers a maintained ffmpeg (5.1 or later) on the PATH', () => {
    const dir = onPath('6.1.1');
    const { origin, ffmpegPath, ffprobePath } = resolveMediaBinaries({});
    expect(origin.ffmpeg).toEqual({
      path: path.join(dir.dir, 'ffmpeg'),
      version: '6.1.1',
      source: 'system',
      outdated: false,
    });
    expect(origin.ffprobe.source).toBe('system');
    expect([ffmpegPath, ffprobePath]).toEqual([origin.ffmpeg.path, origin.ffprobe.path]);
    dir.remove();
  });

  it('falls back to the bundled build, marked outdated, when the PATH has only an old release', () => {
    const dir = onPath('4.4.2');
    const { origin } = resolveMediaBinaries({});
    expect(origin.ffmpeg).toMatchObject({ source: 'bundled', outdated: true });
    expect(origin.ffmpeg.path).toContain('node_modules');
    expect(origin.ffprobe).toMatchObject({ source: 'bundled', outdated: true });
    dir.remove();
  });

  it('runs FFMPEG_PATH and FFPROBE_PATH when they are set', () => {
    const dir = scratchDir('mpf-configured-ffmpeg-');
    const ffmpeg = script(dir.dir, 'my-ffmpeg', 'echo "ffmpeg version 7.0 Copyright"');
    const ffprobe = script(dir.dir, 'my-ffprobe', 'echo "ffprobe version 4.2 Copyright"');
    const { origin } = resolveMediaBinaries({ FFMPEG_PATH: ffmpeg, FFPROBE_PATH: ffprobe });
    expect(origin.ffmpeg).toEqual({
      path: ffmpeg,
      version: '7.0',
      source: 'configured',
      outdated: false,
    });
    expect(origin.ffprobe).toMatchObject({ source: 'configured', version: '4.2', outdated: true });
    dir.remove();
  });
});

describe('only the one file, only video containers', () => {
  const bundledFfprobe = (createRequire(import.meta.url)('ffprobe-static') as { path: string })
    .path;

  it.each([
    ['the ffprobe on the PATH', {}],
    ['the bundled ffprobe 4.0.2', { FFPROBE_PATH: bundledFfprobe }],
  ])(
    '%s refuses an HLS playlist naming a local file as UNSUPPORTED_VIDEO',
    async (_name, config) => {
      writeFileSync(
        file('playlist.mp4'),
        `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:1,\n${file('clip.mp4')}\n#EXT-X-ENDLIST\n`,
      );
      const media = createMediaAdapter(resolveMediaBinaries(config));
      await expect(media.probeVideo(file('playlist.mp4'))).rejects.toMatchObject({
        code: 'UNSUPPORTED_VIDEO',
        details: { format: 'hls' },
      });
    },
  );
});

describe('limits of every ffmpeg/ffprobe child', () => {
  /** A stand-in binary says which version it is, as the real ones do, before misbehaving. */
  const answersVersion = '[ "$1" = -version ] && echo "ffmpeg version 6.0" && exit 0';
  const adapter = (config: MediaConfig) => createMediaAdapter(resolveMediaBinaries(config));

  it('stops a probe that runs past MEDIA_PROBE_TIMEOUT_SECONDS with MEDIA_LIMIT_EXCEEDED', async () => {
    const stuck = script(scratch.dir, 'stuck-ffprobe', `${answersVersion}\nexec sleep 30`);
    const media = adapter({ FFPROBE_PATH: stuck, MEDIA_PROBE_TIMEOUT_SECONDS: 0.5 });
    const started = Date.now();
    await expect(media.probeVideo(file('clip.mp4'))).rejects.toMatchObject({
      code: 'MEDIA_LIMIT_EXCEEDED',
      details: { limit: 'wall-clock' },
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('has the kernel kill a decoder that burns more CPU time than its footage allows', async () => {
    const spinning = script(
      scratch.dir,
      'spinning-ffmpeg',
      `${answersVersion}\nwhile :; do :; done`,
    );
    const media = adapter({
      FFMPEG_PATH: spinning,
      MEDIA_PROBE_TIMEOUT_SECONDS: 0.1,
      MEDIA_TIMEOUT_FACTOR: 0.001,
      MEDIA_THREADS: 1,
    });
    const info = await adapter({}).probeVideo(file('clip.mp4'));
    const frames = media.decodeFrames(file('clip.mp4'), { sampledFps: 1, maxSide: 64, info });
    const decodeAll = async () => {
      for await (const frame of frames) expect(frame).toBeUndefined();
    };
    await expect(decodeAll()).rejects.toMatchObject({
      code: 'MEDIA_LIMIT_EXCEEDED',
      details: { limit: 'cpu-time' },
    });
  });

  it('still decodes ordinary footage within the default limits', async () => {
    const media = adapter({});
    let count = 0;
    for await (const frame of media.decodeFrames(file('clip.mp4'), {
      sampledFps: 5,
      maxSide: 64,
    })) {
      expect(frame.width).toBe(64);
      count += 1;
    }
    expect(count).toBe(5);
  });
});

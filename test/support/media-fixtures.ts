import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveMediaBinaries } from '../../src/media/media.binaries.js';
import { runFfmpeg } from '../../src/media/video.transcode.js';

export const binaries = resolveMediaBinaries({});

export const demoFace = (n: number) =>
  path.resolve(`node_modules/@vladmandic/face-api/demo/sample${n}.jpg`);

/** A scratch folder removed by the returned `remove()`. */
export function scratchDir(prefix: string): {
  dir: string;
  file: (name: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const ffmpeg = (args: string[]) => runFfmpeg(binaries, args);

/** H.264 encoded as fast as ffmpeg can, in the pixel format every decoder reads. */
export const FAST_H264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'];

/** A `seconds`-long test pattern (moving, with a frame counter) with a sine tone. */
export async function testPattern(
  out: string,
  { seconds = 4, fps = 25, size = '320x240', audio = true, faststart = true } = {},
): Promise<string> {
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${size}:rate=${fps}:duration=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`] : []),
    ...FAST_H264,
    ...(audio ? ['-c:a', 'aac', '-shortest'] : []),
    ...(faststart ? ['-movflags', '+faststart'] : []),
    out,
  ]);
  return out;
}

/**
 * A grey background with `face` (an image file) shown at (x, y), `height` pixels tall, from
 * `fromS` to `toS` seconds, H.264 MP4.
 */
export async function faceVideo(
  out: string,
  options: {
    face?: string;
    fromS?: number;
    toS?: number;
    seconds: number;
    size?: string;
    x?: number;
    y?: number;
    height?: number;
  },
): Promise<string> {
  const { seconds, size = '640x480', x = 200, y = 100, height = 260 } = options;
  const inputs = ['-f', 'lavfi', '-i', `color=c=0x808890:size=${size}:rate=25:duration=${seconds}`];
  let filter = '[0:v]null[out]';
  if (options.face) {
    inputs.push('-loop', '1', '-i', options.face);
    filter =
      `[1:v]scale=-2:${height},format=yuv420p[face];` +
      `[0:v][face]overlay=x=${x}:y=${y}:shortest=1:` +
      `enable='between(t,${options.fromS ?? 0},${options.toS ?? seconds})'[out]`;
  }
  await ffmpeg([
    ...inputs,
    '-filter_complex',
    filter,
    '-map',
    '[out]',
    '-t',
    String(seconds),
    ...FAST_H264,
    out,
  ]);
  return out;
}

/** ffmpeg/ffprobe children of this process that still exist (running or not yet reaped). */
export function mediaChildren(): string[] {
  const out = execFileSync('ps', ['-e', '-o', 'ppid=,pid=,stat=,comm='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([ppid, , , comm]) => ppid === String(process.pid) && /^ff(mpeg|probe)/.test(comm ?? ''),
    )
    .map((fields) => fields.join(' '));
}

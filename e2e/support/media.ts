import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
export const ffmpegPath = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
const demoDir = path.join(
  path.dirname(require.resolve('@vladmandic/face-api/package.json')),
  'demo',
);
const run = promisify(execFile);

/** Person A in demo photo sample1.jpg, with a margin: the face the searches look for. */
const PERSON_A = { sample: 1, x: 340, y: 258, width: 326, height: 432 };
const crop = `crop=${PERSON_A.width}:${PERSON_A.height}:${PERSON_A.x}:${PERSON_A.y}`;

export const SHOWN_FROM_S = 2;
export const SHOWN_TO_S = 5;

const workDir = path.join(os.tmpdir(), 'mpf-e2e-media');

async function ffmpeg(args: string[]): Promise<void> {
  await run(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

async function cached(name: string, make: (out: string) => Promise<void>): Promise<string> {
  mkdirSync(workDir, { recursive: true });
  const out = path.join(workDir, name);
  if (!existsSync(out)) await make(out);
  return out;
}

/** A portrait of person A: the case's reference photo. */
export const referencePhoto = () =>
  cached('ada-portrait.jpg', (out) =>
    ffmpeg([
      '-i',
      path.join(demoDir, `sample${PERSON_A.sample}.jpg`),
      '-vf',
      crop,
      '-frames:v',
      '1',
      out,
    ]),
  );

/** A colour test pattern: an image with no face in it. */
export const photoWithoutFace = () =>
  cached('no-face.jpg', (out) =>
    ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=640x480:rate=1', '-frames:v', '1', out]),
  );

/** A group photo (three people): the uploader must ask which face to use. */
export const groupPhoto = () => Promise.resolve(path.join(demoDir, 'sample2.jpg'));

/**
 * 640×360 H.264 footage of `seconds`: an empty grey scene, with person A on the left from 2 s to
 * 5 s only.
 */
export const searchFootage = (seconds: number) =>
  cached(`platform-${seconds}s.mp4`, (out) =>
    ffmpeg([
      ...['-f', 'lavfi', '-i', `color=c=0x808890:size=640x360:rate=25:duration=${seconds}`],
      ...['-loop', '1', '-i', path.join(demoDir, `sample${PERSON_A.sample}.jpg`)],
      '-filter_complex',
      `[1:v]${crop},scale=-2:220,format=yuv420p[a];` +
        `[0:v][a]overlay=x=60:y=70:shortest=1:enable='between(t,${SHOWN_FROM_S},${SHOWN_TO_S})'[out]`,
      ...['-map', '[out]', '-t', String(seconds)],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out],
    ]),
  );

/** Random bytes under a video name: big enough to cancel its upload halfway. */
export const largeUpload = (megabytes: number) =>
  cached(`large-${megabytes}mb.mp4`, (out) => {
    writeFileSync(out, randomBytes(megabytes * 1024 * 1024));
    return Promise.resolve();
  });

/** 640×360 H.264 footage of `seconds` of the empty grey scene: nobody in it. */
export const emptyFootage = (seconds: number) =>
  cached(`empty-${seconds}s.mp4`, (out) =>
    ffmpeg([
      ...['-f', 'lavfi', '-i', `color=c=0x808890:size=640x360:rate=25:duration=${seconds}`],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out],
    ]),
  );

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFace, faceVideo, scratchDir } from '../support/media-fixtures.js';

const run = promisify(execFile);
const scratch = scratchDir('mpf-analyze-cli-');
const file = scratch.file;
/** sample2.jpg shows three people; face #2 (left to right) is the one searched for. */
const reference = `${demoFace(2)}#2`;

interface CliOutput {
  appearances: { startMs: number; endMs: number; bestScore: number; frameFile: string | null }[];
  photos: { ok: boolean }[];
}

async function analyze(...args: string[]): Promise<CliOutput> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'scripts/analyze.ts', '--json', '--out', file('out'), ...args],
    { env: { ...process.env, FACE_WORKERS: '1' }, maxBuffer: 10 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as CliOutput;
}

beforeAll(async () => {
  // The searched face alone (with the margin a face has in a frame), shown from 2 s to 5 s at
  // another size than in the reference photo.
  await sharp(demoFace(2))
    .extract({ left: 1326, top: 53, width: 435, height: 480 })
    .toFile(file('face.png'));
  await faceVideo(file('person.mp4'), {
    face: file('face.png'),
    fromS: 2,
    toS: 5,
    seconds: 7,
    height: 220,
  });
  await faceVideo(file('empty-room.mp4'), { seconds: 4 });
});

afterAll(() => scratch.remove());

describe('npm run analyze', () => {
  it('prints the one appearance of the person, from ~2 s to ~5 s, with its frame file', async () => {
    const result = await analyze('--photo', reference, file('person.mp4'));
    expect(result.photos).toEqual([expect.objectContaining({ ok: true })]);
    expect(result.appearances).toHaveLength(1);
    const [appearance] = result.appearances;
    // Within one sampled frame (200 ms at the balanced preset's 5 frames/s).
    expect(Math.abs(appearance!.startMs - 2000)).toBeLessThanOrEqual(200);
    expect(Math.abs(appearance!.endMs - 5000)).toBeLessThanOrEqual(200);
    expect(appearance!.frameFile).toBeTruthy();
    expect(existsSync(appearance!.frameFile!)).toBe(true);
    expect((await sharp(appearance!.frameFile!).metadata()).format).toBe('jpeg');
  });

  it('prints zero appearances for a video in which nobody appears', async () => {
    const result = await analyze('--photo', reference, file('empty-room.mp4'));
    expect(result.appearances).toEqual([]);
  });

  it('explains a photo with several faces and exits 2 when no photo is usable', async () => {
    const failure = await analyze('--photo', demoFace(2), file('empty-room.mp4')).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('MULTIPLE_FACES');
  });

  it('reports an unreadable video with its code and exits 1', async () => {
    const failure = await analyze('--photo', reference, demoFace(3)).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('UNSUPPORTED_VIDEO');
  });
});

/* What the eval and calibration scripts share about ../shared/datasets/real-video/asl-signers. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { RgbFrame } from '../src/recognition/recognition.types.js';

/** Who is in which clip, from the `| A — description | clip, clip |` table of the dataset README. */
export function aslSigners(dataset: string): Map<string, string[]> {
  const readme = [path.join(dataset, 'README.md'), path.join(dataset, '..', 'README.md')].find(
    existsSync,
  );
  if (!readme) throw new Error('README.md with the table of signers not found');
  const table = new Map<string, string[]>();
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    const match = /^\|\s*([A-Z])\s+—[^|]*\|\s*([a-z, ]+)\|\s*$/.exec(line);
    if (match)
      table.set(
        match[1]!,
        match[2]!.split(',').map((clip) => clip.trim()),
      );
  }
  return table;
}

/** A decoded frame as a PNG, the way a user would upload it as a reference photo. */
export function framePng(frame: RgbFrame): Promise<Buffer> {
  return sharp(Buffer.from(frame.data), {
    raw: { width: frame.width, height: frame.height, channels: 3 },
  })
    .png()
    .toBuffer();
}

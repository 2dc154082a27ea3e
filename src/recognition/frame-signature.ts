import type { RgbFrame } from './recognition.types.js';

const COLUMNS = 48;
const ROWS = 27;

/** A 48×27 grid of mean grey levels: enough to tell whether anything moved between two frames. */
export function frameSignature(frame: RgbFrame): number[] {
  const cells = new Array<number>(COLUMNS * ROWS).fill(0);
  const counts = new Array<number>(COLUMNS * ROWS).fill(0);
  // Every other pixel of every other row: a quarter of the work, the same verdict.
  for (let y = 0; y < frame.height; y += 2) {
    const row = Math.min(ROWS - 1, Math.floor((y * ROWS) / frame.height)) * COLUMNS;
    for (let x = 0; x < frame.width; x += 2) {
      const p = (y * frame.width + x) * 3;
      const cell = row + Math.min(COLUMNS - 1, Math.floor((x * COLUMNS) / frame.width));
      cells[cell]! += frame.data[p]! + frame.data[p + 1]! + frame.data[p + 2]!;
      counts[cell]!++;
    }
  }
  return cells.map((sum, i) => Math.round(sum / (3 * Math.max(1, counts[i]!))));
}

/** True when no cell changed visibly: compression noise passes, a face moving by does not. */
export function isStill(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 10) return false;
    total += d;
  }
  return total / a.length < 1.5;
}

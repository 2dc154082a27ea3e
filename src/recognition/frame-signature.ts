import type { Box, RgbFrame, SearchRegion } from './recognition.types.js';

export const GRID_COLUMNS = 48;
export const GRID_ROWS = 27;

/** A 48×27 grid of mean grey levels: enough to tell whether, and where, anything moved. */
export function frameSignature(frame: RgbFrame): number[] {
  const cells = new Array<number>(GRID_COLUMNS * GRID_ROWS).fill(0);
  const counts = new Array<number>(GRID_COLUMNS * GRID_ROWS).fill(0);
  // Every other pixel of every other row: a quarter of the work, the same verdict.
  for (let y = 0; y < frame.height; y += 2) {
    const row = Math.min(GRID_ROWS - 1, Math.floor((y * GRID_ROWS) / frame.height)) * GRID_COLUMNS;
    for (let x = 0; x < frame.width; x += 2) {
      const p = (y * frame.width + x) * 3;
      const cell = row + Math.min(GRID_COLUMNS - 1, Math.floor((x * GRID_COLUMNS) / frame.width));
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

/** A tracked face's region, in face sizes, around where the face is predicted to be. */
const TRACKED_REGION = 1.8;

/** A cell counts as moved when its mean grey level changed by more than this. */
const MOVED_LEVELS = 8;
/** Beyond this share of the picture in motion (a pan, a cut) the whole frame is searched. */
const MAX_MOVING_SHARE = 0.45;

function merge(boxes: Box[]): Box[] {
  const out = boxes.map((box) => ({ ...box }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length && !merged; j++) {
        const a = out[i]!;
        const b = out[j]!;
        if (
          a.x <= b.x + b.width &&
          b.x <= a.x + a.width &&
          a.y <= b.y + b.height &&
          b.y <= a.y + a.height
        ) {
          const x = Math.min(a.x, b.x);
          const y = Math.min(a.y, b.y);
          out[i] = {
            x,
            y,
            width: Math.max(a.x + a.width, b.x + b.width) - x,
            height: Math.max(a.y + a.height, b.y + b.height) - y,
          };
          out.splice(j, 1);
          merged = true;
        }
      }
    }
  }
  return out;
}

/** Wide enough for a tracked face to stray from where it was predicted to be. */
function regionAround(box: Box): Box {
  const side = Math.max(96, TRACKED_REGION * Math.max(box.width, box.height));
  return {
    x: box.x + box.width / 2 - side / 2,
    y: box.y + box.height / 2 - side / 2,
    width: side,
    height: side,
  };
}

/**
 * True when no cell around a face (its tracked region, source pixels) changed visibly between two
 * signatures: the face is where it was, and nobody came near it.
 */
export function isStillAround(
  a: number[],
  b: number[],
  face: Box,
  size: { width: number; height: number },
): boolean {
  const region = regionAround(face);
  const column = (x: number) =>
    Math.min(GRID_COLUMNS - 1, Math.max(0, Math.floor((x * GRID_COLUMNS) / size.width)));
  const row = (y: number) =>
    Math.min(GRID_ROWS - 1, Math.max(0, Math.floor((y * GRID_ROWS) / size.height)));
  for (let r = row(region.y); r <= row(region.y + region.height); r++) {
    for (let c = column(region.x); c <= column(region.x + region.width); c++) {
      const cell = r * GRID_COLUMNS + c;
      if (Math.abs(a[cell]! - b[cell]!) > MOVED_LEVELS) return false;
    }
  }
  return true;
}

function inside(box: Box, x: number, y: number): boolean {
  return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
}

/**
 * Where faces can be in this frame, in source pixels: around each tracked face (searched at the
 * resolution its size needs, and marked settled when its track needs no new descriptor) and, at full resolution, wherever the picture changed since the
 * previous sampled frame for no tracked face's sake (a face that appears changes it). Null when so
 * much changed that the whole frame must be searched.
 */
export function planRegions(
  previous: number[],
  current: number[],
  tracked: { box: Box; seen: Box; settled: boolean }[],
  size: { width: number; height: number },
): SearchRegion[] | null {
  const cellW = size.width / GRID_COLUMNS;
  const cellH = size.height / GRID_ROWS;
  const around = tracked.map(({ box, settled }) => ({
    box: regionAround(box),
    faceSize: Math.max(box.width, box.height),
    settled,
  }));
  // A tracked face changes the picture where it was as well as where it is.
  const explained = [
    ...around.map((region) => region.box),
    ...tracked.map((t) => regionAround(t.seen)),
  ];
  const moved = current.map((value, i) => {
    if (Math.abs(value - (previous[i] ?? value)) <= MOVED_LEVELS) return false;
    const x = ((i % GRID_COLUMNS) + 0.5) * cellW;
    const y = (Math.floor(i / GRID_COLUMNS) + 0.5) * cellH;
    return !explained.some((box) => inside(box, x, y));
  });
  const movedCount = moved.filter(Boolean).length;
  if (movedCount > MAX_MOVING_SHARE * moved.length) return null;
  const boxes: Box[] = [];
  const seen = new Array<boolean>(moved.length).fill(false);
  for (let start = 0; start < moved.length; start++) {
    if (!moved[start] || seen[start]) continue;
    // Flood fill one patch of motion (8-neighbours, so a diagonal move stays one patch).
    let minC = GRID_COLUMNS;
    let maxC = 0;
    let minR = GRID_ROWS;
    let maxR = 0;
    const stack = [start];
    seen[start] = true;
    while (stack.length > 0) {
      const cell = stack.pop()!;
      const c = cell % GRID_COLUMNS;
      const r = Math.floor(cell / GRID_COLUMNS);
      minC = Math.min(minC, c);
      maxC = Math.max(maxC, c);
      minR = Math.min(minR, r);
      maxR = Math.max(maxR, r);
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const nr = r + dr;
          const nc = c + dc;
          if (nr < 0 || nr >= GRID_ROWS || nc < 0 || nc >= GRID_COLUMNS) continue;
          const next = nr * GRID_COLUMNS + nc;
          if (moved[next] && !seen[next]) {
            seen[next] = true;
            stack.push(next);
          }
        }
      }
    }
    // A face entering a similar background changes only part of its cells: a margin of half the
    // patch (two cells at least) makes sure the region holds all of it.
    const width = (maxC - minC + 1) * cellW;
    const height = (maxR - minR + 1) * cellH;
    const margin = Math.max(2 * cellW, 2 * cellH, Math.max(width, height) / 2);
    boxes.push({
      x: minC * cellW - margin,
      y: minR * cellH - margin,
      width: width + 2 * margin,
      height: height + 2 * margin,
    });
  }
  const fresh = merge(boxes);
  const area = fresh.reduce((sum, box) => sum + box.width * box.height, 0);
  if (area > MAX_MOVING_SHARE * size.width * size.height) return null;
  return [...around, ...fresh.map((box) => ({ box }))];
}

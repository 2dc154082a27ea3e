import type { Box } from './recognition.types.js';

/** Input pixels per cell of TinyFaceDetector's output grid (five 2× poolings). */
export const TINY_CELL = 32;

/** A box prior of the detector, in cells. */
export interface Anchor {
  x: number;
  y: number;
}

/** The detector's raw output for one input: `rows`×`columns` cells, 5 numbers per anchor. */
export interface TinyGrid {
  data: Float32Array;
  rows: number;
  columns: number;
}

const sigmoid = (value: number) => 1 / (1 + Math.exp(-value));

/**
 * The faces scoring above `minScore` in TinyFaceDetector's output, in input pixels, before
 * non-maximum suppression. The same decoding as face-api's TinyYolov2, which assumes a square grid;
 * this one reads any `rows`×`columns`, so the input need not be padded to a square.
 */
export function decodeTinyGrid(
  grid: TinyGrid,
  anchors: Anchor[],
  minScore: number,
): { box: Box; score: number }[] {
  const found: { box: Box; score: number }[] = [];
  for (let row = 0; row < grid.rows; row++) {
    for (let column = 0; column < grid.columns; column++) {
      anchors.forEach((anchor, a) => {
        const at = ((row * grid.columns + column) * anchors.length + a) * 5;
        const score = sigmoid(grid.data[at + 4]!);
        if (score <= minScore) return;
        const centreX = (column + sigmoid(grid.data[at]!)) * TINY_CELL;
        const centreY = (row + sigmoid(grid.data[at + 1]!)) * TINY_CELL;
        const width = Math.exp(grid.data[at + 2]!) * anchor.x * TINY_CELL;
        const height = Math.exp(grid.data[at + 3]!) * anchor.y * TINY_CELL;
        found.push({
          box: { x: centreX - width / 2, y: centreY - height / 2, width, height },
          score,
        });
      });
    }
  }
  return found;
}

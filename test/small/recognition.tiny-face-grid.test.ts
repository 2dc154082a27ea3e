import { describe, expect, it } from 'vitest';
import { decodeTinyGrid, TINY_CELL } from '../../src/recognition/tiny-face-grid.js';

const anchors = [
  { x: 1, y: 1 },
  { x: 2, y: 3 },
];

/** A grid of `rows`×`columns` cells in which nothing scores (logit −10) but what `set` writes. */
function grid(rows: number, columns: number) {
  const data = new Float32Array(rows * columns * anchors.length * 5);
  for (let i = 4; i < data.length; i += 5) data[i] = -10;
  const set = (row: number, column: number, anchor: number, values: number[]) =>
    data.set(values, ((row * columns + column) * anchors.length + anchor) * 5);
  return { grid: { data, rows, columns }, set };
}

describe('decodeTinyGrid', () => {
  it('places a face by its cell, offset and anchor, in input pixels, on a non-square grid', () => {
    const { grid: output, set } = grid(2, 5);
    // Column 3, row 1, second anchor; offsets at the cell's centre (logit 0 → 0.5), size ×1.
    set(1, 3, 1, [0, 0, 0, 0, 3]);
    const [face, ...others] = decodeTinyGrid(output, anchors, 0.5);
    expect(others).toHaveLength(0);
    expect(face!.score).toBeCloseTo(1 / (1 + Math.exp(-3)));
    const width = 2 * TINY_CELL;
    const height = 3 * TINY_CELL;
    expect(face!.box.x).toBeCloseTo(3.5 * TINY_CELL - width / 2);
    expect(face!.box.y).toBeCloseTo(1.5 * TINY_CELL - height / 2);
    expect(face!.box.width).toBeCloseTo(width);
    expect(face!.box.height).toBeCloseTo(height);
  });

  it('keeps only what scores above the bar', () => {
    const { grid: output, set } = grid(3, 3);
    set(0, 0, 0, [0, 0, 0, 0, 0.1]); // 0.52
    set(2, 2, 0, [0, 0, Math.log(2), 0, -0.1]); // 0.48
    expect(decodeTinyGrid(output, anchors, 0.5)).toHaveLength(1);
    expect(decodeTinyGrid(output, anchors, 0.4)).toHaveLength(2);
  });
});

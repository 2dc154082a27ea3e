import { describe, expect, it } from 'vitest';
import { chipTransform, cutChip, type Point } from '../../src/recognition/face-chip.js';

/** 68 landmark-like points spread over a face-sized area (their layout does not matter here). */
const landmarks: Point[] = Array.from({ length: 68 }, (_, i) => ({
  x: 200 + 80 * Math.cos(i * 1.3) + i,
  y: 150 + 60 * Math.sin(i * 0.7) - i / 2,
}));

function moved(points: Point[], scale: number, angle: number, dx: number, dy: number): Point[] {
  const [c, s] = [Math.cos(angle) * scale, Math.sin(angle) * scale];
  return points.map(({ x, y }) => ({ x: c * x - s * y + dx, y: s * x + c * y + dy }));
}

describe('face chip alignment', () => {
  it('turns, scales and shifts the chip with the face', () => {
    const upright = chipTransform(landmarks);
    const tilted = chipTransform(moved(landmarks, 0.5, Math.PI / 6, 40, -20));
    // A chip pixel lands on the same point of the face in both pictures.
    for (const [col, row] of [
      [0, 0],
      [75, 75],
      [149, 20],
    ] as const) {
      const onUpright = {
        x: upright.a * col - upright.b * row + upright.tx,
        y: upright.b * col + upright.a * row + upright.ty,
      };
      const [expected] = moved([onUpright], 0.5, Math.PI / 6, 40, -20);
      expect(tilted.a * col - tilted.b * row + tilted.tx).toBeCloseTo(expected!.x, 6);
      expect(tilted.b * col + tilted.a * row + tilted.ty).toBeCloseTo(expected!.y, 6);
    }
    expect(Math.atan2(tilted.b, tilted.a) - Math.atan2(upright.b, upright.a)).toBeCloseTo(
      Math.PI / 6,
      6,
    );
  });

  it('refuses anything but 68 landmarks', () => {
    expect(() => chipTransform(landmarks.slice(0, 5))).toThrow(/68 landmarks/);
  });

  it('samples the frame through the transform and leaves pixels beyond it black', () => {
    const width = 40;
    const height = 30;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set([x * 5, y * 5, 100], (y * width + x) * 3);
    }
    const frame = { data, width, height };
    const shifted = cutChip(frame, { a: 1, b: 0, tx: 10.5, ty: 4 }, 8);
    expect(shifted[0]).toBeCloseTo(52.5, 4); // red = 5 · 10.5, between two columns
    expect(shifted[1]).toBe(20);
    expect(shifted[2]).toBe(100);
    // Half scale, a quarter turn: chip column c reads frame row c / 2.
    const turned = cutChip(frame, { a: 0, b: 0.5, tx: 20, ty: 0 }, 8);
    const at = (col: number, row: number) =>
      turned.subarray((row * 8 + col) * 3, (row * 8 + col) * 3 + 3);
    expect(Array.from(at(4, 2))).toEqual([95, 10, 100]);
    const outside = cutChip(frame, { a: 1, b: 0, tx: 35, ty: 0 }, 8);
    expect(Array.from(outside.subarray((0 * 8 + 7) * 3, (0 * 8 + 7) * 3 + 3))).toEqual([0, 0, 0]);
  });
});

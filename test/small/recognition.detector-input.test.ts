import { describe, expect, it } from 'vitest';
import { gridInput, squareInput } from '../../src/recognition/detector-input.js';

/** A frame whose left half is black and right half white. */
function halves(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = width / 2; x < width; x++)
      data.fill(255, (y * width + x) * 3, (y * width + x + 1) * 3);
  }
  return { data, width, height };
}

const pixel = (input: { data: Float32Array; width: number }, x: number, y: number) =>
  Array.from(input.data.subarray((y * input.width + x) * 3, (y * input.width + x + 1) * 3));

describe('squareInput', () => {
  it('scales a region to fit the square from its top-left corner and pads the rest with black', () => {
    const frame = halves(200, 100);
    const input = squareInput(frame, { x: 0, y: 0, width: 200, height: 100 }, 50);
    expect(input.scale).toBe(0.25);
    expect(pixel(input, 5, 5)).toEqual([0, 0, 0]);
    expect(pixel(input, 45, 20)).toEqual([255, 255, 255]);
    // Below the 25 rows the frame fills: padding.
    expect(pixel(input, 45, 40)).toEqual([0, 0, 0]);
  });

  it('cuts out only the region asked for, and says where it came from', () => {
    const frame = halves(200, 100);
    const input = squareInput(frame, { x: 120, y: 10, width: 40, height: 40 }, 32);
    expect(input).toMatchObject({ width: 32, height: 32, x: 120, y: 10, scale: 0.8 });
    expect(input.data.every((value) => value === 255)).toBe(true);
  });

  it('blends neighbouring pixels where the picture is shrunk across an edge', () => {
    const frame = halves(4, 4);
    const input = squareInput(frame, { x: 0, y: 0, width: 4, height: 4 }, 2);
    expect(pixel(input, 0, 0)).toEqual([0, 0, 0]);
    expect(pixel(input, 1, 0)).toEqual([255, 255, 255]);
    const stretched = squareInput(frame, { x: 1, y: 0, width: 2, height: 2 }, 4);
    expect(pixel(stretched, 1, 0)[0]).toBeGreaterThan(0);
    expect(pixel(stretched, 1, 0)[0]).toBeLessThan(255);
  });
});

describe('gridInput', () => {
  it('keeps a wide region wide, padding each side only to the next whole cell', () => {
    const frame = halves(960, 540);
    const input = gridInput(frame, { x: 0, y: 0, width: 960, height: 540 }, 416, 32);
    // 540 × 416/960 = 234 rows of picture in 256: a square would be 416 × 416.
    expect(input).toMatchObject({ width: 416, height: 256, scale: 416 / 960 });
    expect(pixel(input, 400, 200)).toEqual([255, 255, 255]);
    expect(pixel(input, 400, 240)).toEqual([0, 0, 0]);
  });

  it('never makes a side shorter than one cell', () => {
    const input = gridInput(halves(200, 100), { x: 0, y: 0, width: 200, height: 4 }, 64, 32);
    expect(input).toMatchObject({ width: 64, height: 32 });
  });
});

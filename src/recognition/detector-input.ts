import type { Box, RgbFrame } from './recognition.types.js';

/** The pixels of a frame: packed RGB, 3 bytes a pixel, rows top to bottom. */
export type Pixels = Pick<RgbFrame, 'data' | 'width' | 'height'>;

/** A detector input cut from a packed RGB frame. */
export interface DetectorInput {
  /** `width`×`height`×3 floats in 0–255; the box fills it from the top-left corner, the rest is 0. */
  data: Float32Array;
  width: number;
  height: number;
  /** Input pixels per frame pixel. */
  scale: number;
  /** Where the box starts in the frame. */
  x: number;
  y: number;
}

interface Taps {
  low: Int32Array;
  high: Int32Array;
  weight: Float32Array;
}

/** For each output position: the two source positions it blends and the weight of the second. */
function taps(start: number, count: number, scale: number, limit: number): Taps {
  const low = new Int32Array(count);
  const high = new Int32Array(count);
  const weight = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const source = Math.min(limit - 1, Math.max(0, start + (i + 0.5) / scale - 0.5));
    low[i] = Math.floor(source);
    high[i] = Math.min(limit - 1, low[i]! + 1);
    weight[i] = source - low[i]!;
  }
  return { low, high, weight };
}

/**
 * Bilinear resampling of `box` into a `side`×`side` input, letterboxed like face-api pads to a
 * square (SSD and the landmark network read squares).
 */
export function squareInput(frame: Pixels, box: Box, side: number): DetectorInput {
  return resample(frame, box, side / Math.max(box.width, box.height), side, side);
}

/**
 * `box` resampled so its longer side is `longSide`, in an input whose sides are the next multiples
 * of `cell`: a fully convolutional detector reads it as it is, so a wide region costs its own area
 * rather than the square around it.
 */
export function gridInput(frame: Pixels, box: Box, longSide: number, cell: number): DetectorInput {
  const scale = longSide / Math.max(box.width, box.height);
  const fit = (length: number) => Math.max(cell, Math.ceil((length * scale) / cell) * cell);
  return resample(frame, box, scale, fit(box.width), fit(box.height));
}

/**
 * Done here rather than with tensor ops because, on the wasm backend, slicing, casting and resizing
 * a region of a 720p frame costs as much as running TinyFaceDetector on it.
 */
function resample(
  frame: Pixels,
  box: Box,
  scale: number,
  width: number,
  height: number,
): DetectorInput {
  const outWidth = Math.min(width, Math.round(box.width * scale));
  const outHeight = Math.min(height, Math.round(box.height * scale));
  const columns = taps(box.x, outWidth, scale, frame.width);
  const rows = taps(box.y, outHeight, scale, frame.height);
  const data = new Float32Array(width * height * 3);
  const source = frame.data;
  const stride = frame.width * 3;
  for (let oy = 0; oy < outHeight; oy++) {
    const top = rows.low[oy]! * stride;
    const bottom = rows.high[oy]! * stride;
    const fy = rows.weight[oy]!;
    let out = oy * width * 3;
    for (let ox = 0; ox < outWidth; ox++) {
      const left = columns.low[ox]! * 3;
      const right = columns.high[ox]! * 3;
      const fx = columns.weight[ox]!;
      for (let channel = 0; channel < 3; channel++) {
        const upper =
          source[top + left + channel]! * (1 - fx) + source[top + right + channel]! * fx;
        const lower =
          source[bottom + left + channel]! * (1 - fx) + source[bottom + right + channel]! * fx;
        data[out++] = upper * (1 - fy) + lower * fy;
      }
    }
  }
  return { data, width, height, scale, x: box.x, y: box.y };
}

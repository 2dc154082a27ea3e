import type { Box } from './recognition.types.js';

const SAMPLE = 48;

/**
 * Sharpness of a face: variance of the Laplacian of its grey crop resampled to 48×48, so the value
 * does not depend on how large the face is. Motion blur and out-of-focus faces score low.
 */
export function faceSharpness(rgb: Uint8Array, width: number, height: number, box: Box): number {
  const grey = new Float32Array(SAMPLE * SAMPLE);
  for (let j = 0; j < SAMPLE; j++) {
    const y = Math.min(
      height - 1,
      Math.max(0, Math.floor(box.y + ((j + 0.5) * box.height) / SAMPLE)),
    );
    for (let i = 0; i < SAMPLE; i++) {
      const x = Math.min(
        width - 1,
        Math.max(0, Math.floor(box.x + ((i + 0.5) * box.width) / SAMPLE)),
      );
      const p = (y * width + x) * 3;
      grey[j * SAMPLE + i] = 0.299 * rgb[p]! + 0.587 * rgb[p + 1]! + 0.114 * rgb[p + 2]!;
    }
  }
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let j = 1; j < SAMPLE - 1; j++) {
    for (let i = 1; i < SAMPLE - 1; i++) {
      const c = j * SAMPLE + i;
      const lap =
        grey[c - 1]! + grey[c + 1]! + grey[c - SAMPLE]! + grey[c + SAMPLE]! - 4 * grey[c]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** One number in [0, 1] for ranking faces: detector confidence, size and sharpness together. */
export function faceQuality(score: number, box: Box, sharpness: number): number {
  const size = Math.min(1, Math.min(box.width, box.height) / 112);
  const sharp = Math.min(1, sharpness / 150);
  return Math.round(score * Math.sqrt(size) * Math.sqrt(sharp) * 1000) / 1000;
}

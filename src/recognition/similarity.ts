/*
 * Distance → similarity. face-api's 128-d descriptors are compared by Euclidean distance; a logistic
 * curve turns a distance into a score in [0, 1] read as "same person". Descriptors of small,
 * low-resolution faces crowd together (strangers filmed at 60 px come as close as photos of one
 * person), so the curve depends on how large the reference face was: one curve fitted on small
 * faces, one on large, blended between (scripts/calibrate.ts, docs/recognition.md "How matching is calibrated").
 */
import type { ReferenceFace } from './recognition.types.js';

interface Calibration {
  /** Reference faces this wide (pixels of their photo) and below / above use the curve as is. */
  faceSize: number;
  midpoint: number;
  slope: number;
}

/** Logistic fits: similarity = 1 / (1 + exp(slope · (distance − midpoint))). */
export const CALIBRATIONS: { small: Calibration; large: Calibration } = {
  small: { faceSize: 72, midpoint: 0.5, slope: 23.5 },
  large: { faceSize: 108, midpoint: 0.64, slope: 44 },
};

/**
 * Default match threshold on the calibrated similarity: where, for both bands, impostor pairs are
 * (nearly) never accepted.
 */
export const DEFAULT_THRESHOLD = 0.95;

export function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** The curve for a reference face `faceSize` pixels wide. */
export function calibrationFor(faceSize: number): { midpoint: number; slope: number } {
  const { small, large } = CALIBRATIONS;
  const t = Math.min(
    1,
    Math.max(0, (faceSize - small.faceSize) / (large.faceSize - small.faceSize)),
  );
  return {
    midpoint: small.midpoint + t * (large.midpoint - small.midpoint),
    slope: small.slope + t * (large.slope - small.slope),
  };
}

export function distanceToSimilarity(distance: number, referenceFaceSize: number): number {
  const { midpoint, slope } = calibrationFor(referenceFaceSize);
  return 1 / (1 + Math.exp(slope * (distance - midpoint)));
}

/** The distance at which a reference of this size scores exactly `similarity`. */
export function distanceForSimilarity(similarity: number, referenceFaceSize: number): number {
  const { midpoint, slope } = calibrationFor(referenceFaceSize);
  return midpoint + Math.log(1 / similarity - 1) / slope;
}

/**
 * Similarity of a face to a person known by several reference faces: the best of them, so a case
 * with photos from different years or angles matches whichever is closest. Strangers are kept out
 * by the tracker's rule that several frames must agree, not by averaging references.
 */
export function similarityToReferences(
  descriptor: Float32Array,
  references: ReferenceFace[],
): number {
  let best = 0;
  for (const reference of references) {
    const distance = euclidean(descriptor, reference.descriptor);
    best = Math.max(best, distanceToSimilarity(distance, reference.faceSize));
  }
  return best;
}

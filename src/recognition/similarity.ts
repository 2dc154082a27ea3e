/*
 * Distance → similarity. face-api's 128-d descriptors are compared by Euclidean distance; a logistic
 * curve fitted on genuine and impostor pairs of faces-8-identities (scripts/calibrate.ts, README
 * "How matching is calibrated") turns a distance into a score in [0, 1] read as "same person".
 */

/** Logistic fit: similarity = 1 / (1 + exp(SLOPE · (distance − MIDPOINT))). */
export const CALIBRATION = { midpoint: 0.63, slope: 20 };

/** Default match threshold on the calibrated similarity. */
export const DEFAULT_THRESHOLD = 0.5;

export function euclidean(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

export function distanceToSimilarity(distance: number): number {
  return 1 / (1 + Math.exp(CALIBRATION.slope * (distance - CALIBRATION.midpoint)));
}

/**
 * Similarity of a face to a person known by several reference embeddings: the mean of the best two
 * (or the best alone when there is one), so one lucky reference cannot carry a stranger.
 */
export function similarityToReferences(
  descriptor: Float32Array,
  references: Float32Array[],
): number {
  if (references.length === 0) return 0;
  const scores = references
    .map((reference) => distanceToSimilarity(euclidean(descriptor, reference)))
    .sort((a, b) => b - a);
  const top = scores.slice(0, 2);
  return top.reduce((sum, value) => sum + value, 0) / top.length;
}

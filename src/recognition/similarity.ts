/*
 * Distance → similarity. face-api's 128-d descriptors are compared by Euclidean distance; a logistic
 * curve fitted on genuine and impostor pairs of faces-8-identities (scripts/calibrate.ts, README
 * "How matching is calibrated") turns a distance into a score in [0, 1] read as "same person".
 */

/** Logistic fit: similarity = 1 / (1 + exp(SLOPE · (distance − MIDPOINT))). */
export const CALIBRATION = { midpoint: 0.63, slope: 20 };

/**
 * Default match threshold on the calibrated similarity (distance ≈ 0.48). Chosen on footage, not on
 * the photo pairs: in real video of people filmed in one place, strangers come much closer (0.47–0.56)
 * than between photos of different people (README "How matching is calibrated").
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

export function distanceToSimilarity(distance: number): number {
  return 1 / (1 + Math.exp(CALIBRATION.slope * (distance - CALIBRATION.midpoint)));
}

/**
 * Similarity of a face to a person known by several reference embeddings: the best of them, so a
 * case with photos from different years or angles matches whichever is closest. Strangers are kept
 * out by the tracker's rule that several frames must agree, not by averaging references.
 */
export function similarityToReferences(
  descriptor: Float32Array,
  references: Float32Array[],
): number {
  let best = 0;
  for (const reference of references) {
    best = Math.max(best, distanceToSimilarity(euclidean(descriptor, reference)));
  }
  return best;
}

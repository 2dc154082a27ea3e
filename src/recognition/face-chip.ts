/*
 * The face chip the descriptor network reads. face-api's network carries the weights of dlib's
 * ResNet face recogniser, which was trained on 150×150 chips cut by dlib's get_face_chip: a
 * similarity transform (scale, rotation, shift) that lays the 68 landmarks onto dlib's mean face,
 * padded by a quarter of the face on every side. face-api itself only cuts an upright box around
 * eyes and mouth, so a tilted head or a loose box moves the descriptor; cutting the chip the way
 * the network was trained brings photos of one person closer together.
 */
import type { Pixels } from './detector-input.js';

/** Frame pixels. */
export interface Point {
  x: number;
  y: number;
}

export const CHIP_SIZE = 150;
const PADDING = 0.25;

/* dlib's mean face shape (image_transforms/get_face_chip_details), landmarks 17–67, unit square. */
const MEAN_FACE_X = [
  0.000213256, 0.0752622, 0.18113, 0.29077, 0.393397, 0.586856, 0.689483, 0.799124, 0.904991,
  0.98004, 0.490127, 0.490127, 0.490127, 0.490127, 0.36688, 0.426036, 0.490127, 0.554217, 0.613373,
  0.121737, 0.187122, 0.265825, 0.334606, 0.260918, 0.182743, 0.645647, 0.714428, 0.793132,
  0.858516, 0.79751, 0.719335, 0.254149, 0.340985, 0.428858, 0.490127, 0.551395, 0.639268, 0.726104,
  0.642159, 0.556721, 0.490127, 0.423532, 0.338094, 0.290379, 0.428096, 0.490127, 0.552157,
  0.689874, 0.553364, 0.490127, 0.42689,
];
const MEAN_FACE_Y = [
  0.106454, 0.038915, 0.0187482, 0.0344891, 0.0773906, 0.0773906, 0.0344891, 0.0187482, 0.038915,
  0.106454, 0.203352, 0.307009, 0.409805, 0.515625, 0.587326, 0.609345, 0.628106, 0.609345,
  0.587326, 0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077, 0.231733, 0.179852,
  0.178758, 0.216423, 0.244077, 0.245099, 0.780233, 0.745405, 0.727388, 0.742578, 0.727388,
  0.745405, 0.780233, 0.864805, 0.902192, 0.909281, 0.902192, 0.864805, 0.784792, 0.778746,
  0.785343, 0.778746, 0.784792, 0.824182, 0.831803, 0.824182,
];

/** Like dlib: the eyebrows and the lower lip move with expression, so they do not place the chip. */
function usedForAlignment(landmark: number): boolean {
  const eyebrow = landmark >= 17 && landmark <= 26;
  const lowerLip = (landmark >= 55 && landmark <= 59) || (landmark >= 65 && landmark <= 67);
  return landmark >= 17 && !eyebrow && !lowerLip;
}

/** Where each landmark sits in the chip, chip pixels. */
function chipTemplate(size: number): (Point | null)[] {
  return Array.from({ length: 68 }, (_, landmark) =>
    usedForAlignment(landmark)
      ? {
          x: ((PADDING + MEAN_FACE_X[landmark - 17]!) / (2 * PADDING + 1)) * size,
          y: ((PADDING + MEAN_FACE_Y[landmark - 17]!) / (2 * PADDING + 1)) * size,
        }
      : null,
  );
}

/** image = [a −b; b a]·chip + t: the least-squares similarity from chip to image pixels. */
export interface ChipTransform {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

/** Least-squares similarity transform taking the chip's template onto 68 image landmarks. */
export function chipTransform(landmarks: Point[], size = CHIP_SIZE): ChipTransform {
  if (landmarks.length !== 68) throw new Error(`expected 68 landmarks, got ${landmarks.length}`);
  const pairs = chipTemplate(size).flatMap((from, i) =>
    from ? [{ from, to: landmarks[i]! }] : [],
  );
  const mean = (pick: (pair: (typeof pairs)[number]) => number) =>
    pairs.reduce((sum, pair) => sum + pick(pair), 0) / pairs.length;
  const fx = mean((p) => p.from.x);
  const fy = mean((p) => p.from.y);
  const tx = mean((p) => p.to.x);
  const ty = mean((p) => p.to.y);
  let dot = 0;
  let cross = 0;
  let norm = 0;
  for (const { from, to } of pairs) {
    const px = from.x - fx;
    const py = from.y - fy;
    const qx = to.x - tx;
    const qy = to.y - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

/**
 * The `size`×`size` RGB chip (floats 0–255) of a packed RGB frame, sampled bilinearly through
 * `transform`; chip pixels outside the frame are black, as in dlib.
 */
export function cutChip(frame: Pixels, transform: ChipTransform, size = CHIP_SIZE): Float32Array {
  const { data, width, height } = frame;
  const { a, b, tx, ty } = transform;
  const chip = new Float32Array(size * size * 3);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = a * col - b * row + tx;
      const y = b * col + a * row + ty;
      if (x < 0 || y < 0 || x > width - 1 || y > height - 1) continue;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const x1 = Math.min(width - 1, x0 + 1);
      const y1 = Math.min(height - 1, y0 + 1);
      const wx = x - x0;
      const wy = y - y0;
      const out = (row * size + col) * 3;
      for (let c = 0; c < 3; c++) {
        const top =
          data[(y0 * width + x0) * 3 + c]! * (1 - wx) + data[(y0 * width + x1) * 3 + c]! * wx;
        const bottom =
          data[(y1 * width + x0) * 3 + c]! * (1 - wx) + data[(y1 * width + x1) * 3 + c]! * wx;
        chip[out + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return chip;
}

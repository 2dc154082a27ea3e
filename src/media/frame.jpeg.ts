import sharp from 'sharp';
import type { Box, RgbFrame } from '../recognition/recognition.types.js';
import type { JpegOptions } from './media.types.js';

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Encodes a decoded frame as JPEG: the whole frame, or the face crop (`crop`, widened by `margin`
 * of the box size on each side, as a face sits in a photo), optionally with `annotate` boxes
 * drawn. Boxes are in pixels of the source video, as the engine reports them; the JPEG is in
 * pixels of the decoded frame.
 */
export async function encodeJpeg(frame: RgbFrame, options: JpegOptions = {}): Promise<Buffer> {
  const scale = frame.width / frame.sourceWidth;
  const region = options.crop
    ? cropRegion(frame, scaleBox(options.crop, scale), options.margin ?? 0.4)
    : { left: 0, top: 0, width: frame.width, height: frame.height };

  let image = sharp(frame.data, {
    raw: { width: frame.width, height: frame.height, channels: 3 },
  });
  if (options.crop) image = image.extract(region);
  const annotated = Boolean(options.annotate?.length);
  if (options.annotate?.length) {
    const boxes = options.annotate.map((box) => scaleBox(box, scale));
    image = image.composite([{ input: boxOverlay(region, boxes), left: 0, top: 0 }]);
  }
  // Full-resolution colour keeps a thin red outline red instead of smearing it into the picture.
  return image
    .jpeg({ quality: options.quality ?? 85, chromaSubsampling: annotated ? '4:4:4' : '4:2:0' })
    .toBuffer();
}

function scaleBox(box: Box, scale: number): Box {
  return {
    x: box.x * scale,
    y: box.y * scale,
    width: box.width * scale,
    height: box.height * scale,
  };
}

function cropRegion(frame: RgbFrame, box: Box, margin: number): Region {
  const left = clamp(Math.floor(box.x - box.width * margin), 0, frame.width - 1);
  const top = clamp(Math.floor(box.y - box.height * margin), 0, frame.height - 1);
  const right = clamp(Math.ceil(box.x + box.width * (1 + margin)), left + 1, frame.width);
  const bottom = clamp(Math.ceil(box.y + box.height * (1 + margin)), top + 1, frame.height);
  return { left, top, width: right - left, height: bottom - top };
}

/** An SVG the size of `region` with each box outlined, in the region's coordinates. */
function boxOverlay(region: Region, boxes: Box[]): Buffer {
  const stroke = Math.max(3, Math.round(Math.min(region.width, region.height) / 120));
  const rects = boxes
    .map(
      (b) =>
        `<rect x="${(b.x - region.left).toFixed(1)}" y="${(b.y - region.top).toFixed(1)}" ` +
        `width="${b.width.toFixed(1)}" height="${b.height.toFixed(1)}" fill="none" ` +
        `stroke="#ff3b30" stroke-width="${stroke}"/>`,
    )
    .join('');
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${region.width}" height="${region.height}">${rects}</svg>`,
  );
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

import { DEFAULT_THRESHOLD } from './similarity.js';
import type { AnalysisSettings, Preset } from './recognition.types.js';

/**
 * Preset defaults. `maxSide` is the working size of decoded frames: SSD looks at 512×512 whatever it
 * is given, so larger frames only cost decoding; TinyFaceDetector's input size sets its cost.
 */
export const PRESETS: Record<Preset, AnalysisSettings> = {
  fast: {
    preset: 'fast',
    sampledFps: 2,
    detector: 'tiny',
    tinyInputSize: 416,
    maxSide: 960,
    minDetectorScore: 0.5,
    minFaceSize: 64,
    minSharpness: 20,
    threshold: DEFAULT_THRESHOLD,
    minMatchFrames: 2,
    singleFrameThreshold: Math.min(0.99, DEFAULT_THRESHOLD + 0.1),
    maxGapMs: 1500,
    redescribeMs: 2000,
    keyframeMs: 4000,
  },
  balanced: {
    preset: 'balanced',
    sampledFps: 5,
    detector: 'tiny',
    tinyInputSize: 608,
    maxSide: 1280,
    minDetectorScore: 0.3,
    minFaceSize: 36,
    minSharpness: 20,
    threshold: DEFAULT_THRESHOLD,
    minMatchFrames: 2,
    singleFrameThreshold: Math.min(0.99, DEFAULT_THRESHOLD + 0.1),
    maxGapMs: 1000,
    redescribeMs: 2000,
    keyframeMs: 3000,
  },
  thorough: {
    preset: 'thorough',
    sampledFps: 10,
    detector: 'ssd',
    tinyInputSize: 608,
    maxSide: 1280,
    minDetectorScore: 0.4,
    minFaceSize: 28,
    minSharpness: 15,
    threshold: DEFAULT_THRESHOLD,
    minMatchFrames: 2,
    singleFrameThreshold: Math.min(0.99, DEFAULT_THRESHOLD + 0.1),
    maxGapMs: 1000,
    redescribeMs: 400,
    keyframeMs: 1000,
  },
};

/** A preset's settings with a search's overrides (sampled fps, threshold, …) applied on top. */
export function resolveSettings(
  preset: Preset,
  overrides: Partial<Omit<AnalysisSettings, 'preset'>> = {},
): AnalysisSettings {
  const base = PRESETS[preset];
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  ) as Partial<AnalysisSettings>;
  const settings = { ...base, ...defined, preset };
  if (defined.threshold !== undefined && defined.singleFrameThreshold === undefined) {
    settings.singleFrameThreshold = Math.min(0.99, settings.threshold + 0.1);
  }
  return settings;
}

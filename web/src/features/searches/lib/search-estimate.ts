import type { Preset } from '../../../lib/search-events';

/**
 * Seconds of footage analysed per second, slowest and fastest, per preset: the measured range of
 * `npm run bench` on a busy and on an idle 2-core server (docs/benchmarks.md).
 */
const REALTIME_FACTOR: Record<Preset, [slowest: number, fastest: number]> = {
  fast: [6, 11],
  balanced: [3, 6],
  thorough: [1.4, 2.1],
};

/** How long analysing `footageMs` of recorded footage takes at `preset`: [shortest, longest] ms. */
export function estimateAnalysisMs(footageMs: number, preset: Preset): [number, number] {
  const [slowest, fastest] = REALTIME_FACTOR[preset];
  return [footageMs / fastest, footageMs / slowest];
}

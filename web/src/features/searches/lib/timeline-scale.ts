/** Tick steps a person reads easily: 1, 2, 5, 10, 15, 30 s, then minutes, then hours. */
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800].map(
  (seconds) => seconds * 1000,
);
const LONGEST_STEP_MS = 21_600_000;

/** Room a tick label needs, in pixels ("1:02:03" in small type, with a gap). */
const TICK_SPACING_PX = 72;

/**
 * The ticks of one time axis from 0 to `endMs` drawn `widthPx` wide: whole, distinct steps (never
 * "0:00 0:00 0:01"), as many as fit without their labels touching.
 */
export function timeTicks(endMs: number, widthPx: number): number[] {
  const fit = Math.max(2, Math.floor(widthPx / TICK_SPACING_PX));
  const step = STEPS_MS.find((s) => endMs / s <= fit) ?? LONGEST_STEP_MS;
  const ticks: number[] = [];
  for (let t = 0; t <= endMs; t += step) ticks.push(t);
  return ticks;
}

export interface Span {
  startPx: number;
  /** Where the bar and its label end. */
  endPx: number;
}

/**
 * Gives each span the first lane (row) where it overlaps nothing, so bar labels never sit on each
 * other; spans must be sorted by start.
 */
export function assignLanes(spans: Span[], gapPx = 6): number[] {
  const laneEnds: number[] = [];
  return spans.map((span) => {
    let lane = laneEnds.findIndex((end) => end + gapPx <= span.startPx);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = span.endPx;
    return lane;
  });
}

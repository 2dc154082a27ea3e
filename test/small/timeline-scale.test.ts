import { describe, expect, it } from 'vitest';
import { assignLanes, timeTicks } from '../../web/src/features/searches/lib/timeline-scale.js';

describe('results timeline scale', () => {
  it('ticks a 20 s axis at whole, distinct steps from 0, as many as fit', () => {
    expect(timeTicks(20_000, 900)).toEqual(
      [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((s) => s * 1000),
    );
    expect(timeTicks(20_000, 300)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
  });

  it('never ticks finer than a second, so labels never repeat', () => {
    expect(timeTicks(1_000, 1_200)).toEqual([0, 1_000]);
  });

  it('steps by minutes and hours for long footage', () => {
    expect(timeTicks(3_600_000, 600)).toEqual(
      [0, 10, 20, 30, 40, 50, 60].map((minutes) => minutes * 60_000),
    );
  });

  it('puts a bar whose label would overlap the one before in a new lane', () => {
    const lanes = assignLanes([
      { startPx: 0, endPx: 100 },
      { startPx: 50, endPx: 150 },
      { startPx: 120, endPx: 220 },
      { startPx: 160, endPx: 260 },
    ]);
    expect(lanes).toEqual([0, 1, 0, 1]);
  });
});

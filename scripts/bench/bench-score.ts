import type { Box, MatchedFace } from '../../src/recognition/recognition.types.js';
import { visitBox, type GroundTruth } from './bench-video.js';

export interface Score {
  /** Passages of the person (in the window) in which at least one match landed on them. */
  passagesFound: number;
  passages: number;
  recall: number;
  /** Sampled frames showing the person in which a match landed on them. */
  frameRecall: number;
  reported: number;
  /** Reported appearances none of whose faces is the person. */
  falseAppearances: number;
}

const centreInside = (box: Box, area: Box) => {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  return cx >= area.x && cx <= area.x + area.width && cy >= area.y && cy <= area.y + area.height;
};

/** Scores reported appearances (each a list of matched faces) against the ground truth. */
export function score(
  truth: GroundTruth,
  appearances: MatchedFace[][],
  window: { untilMs: number; sampledFps: number },
): Score {
  const targets = truth.visits.filter((v) => v.isTarget && v.fromMs < window.untilMs);
  const onTarget = (face: MatchedFace) =>
    targets.some((visit) => {
      const area = visitBox(visit, face.timeMs);
      return area !== null && centreInside(face.box, area);
    });
  const faces = appearances.flat().filter((face) => face.timeMs < window.untilMs);

  const passagesFound = targets.filter((visit) =>
    faces.some((face) => {
      const area = visitBox(visit, face.timeMs);
      return area !== null && centreInside(face.box, area);
    }),
  ).length;

  const step = 1000 / window.sampledFps;
  let shown = 0;
  let seen = 0;
  for (let t = 0; t < window.untilMs; t += step) {
    for (const visit of targets) {
      const area = visitBox(visit, t);
      if (!area) continue;
      shown++;
      const hit = faces.some(
        (face) => Math.abs(face.timeMs - t) <= step / 2 && centreInside(face.box, area),
      );
      if (hit) seen++;
    }
  }

  const reported = appearances.filter((faces) => faces.some((f) => f.timeMs < window.untilMs));
  return {
    passagesFound,
    passages: targets.length,
    recall: targets.length ? passagesFound / targets.length : 1,
    frameRecall: shown ? seen / shown : 1,
    reported: reported.length,
    falseAppearances: reported.filter((faces) => !faces.some(onTarget)).length,
  };
}

/**
 * Groups per-frame matches into appearances the way a reader would: the same place in
 * consecutive sampled frames is one passage.
 */
export function groupMatches(matches: MatchedFace[], sampledFps: number): MatchedFace[][] {
  const gap = (2 * 1000) / sampledFps;
  const groups: MatchedFace[][] = [];
  for (const match of [...matches].sort((a, b) => a.timeMs - b.timeMs)) {
    const group = groups.find((g) => {
      const last = g.at(-1)!;
      const near =
        Math.hypot(last.box.x - match.box.x, last.box.y - match.box.y) <
        Math.max(last.box.width, match.box.width);
      return match.timeMs - last.timeMs <= gap && match.timeMs > last.timeMs && near;
    });
    if (group) group.push(match);
    else groups.push([match]);
  }
  return groups;
}

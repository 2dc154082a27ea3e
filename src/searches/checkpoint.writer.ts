import type { Executor } from '../db/database.js';
import type { AnalysisCheckpoint, AnalysisEvent } from '../recognition/recognition.types.js';
import { nowIso } from '../shared/clock.js';
import { transitionSearchVideo } from './search.repository.js';

/** Checkpoints (and progress events) are written at most this often. */
const CHECKPOINT_EVERY_MS = 1000;

type ProgressEvent = Extract<AnalysisEvent, { type: 'progress' }>;

/**
 * Stores a running analysis' progress, measured speed and checkpoint, at most once a second.
 * Answers `skipped` between writes, `saved`, or `stopped` when the search video is no longer
 * running (paused or cancelled meanwhile), which ends the analysis.
 */
export function checkpointWriter(
  db: Executor,
  searchVideoId: string,
  resumedFrom: AnalysisCheckpoint | undefined,
): (event: ProgressEvent) => Promise<'skipped' | 'saved' | 'stopped'> {
  const startedAt = Date.now();
  const framesBefore = resumedFrom?.framesAnalysed ?? 0;
  let lastSaved = 0;
  return async (event) => {
    if (Date.now() - lastSaved < CHECKPOINT_EVERY_MS) return 'skipped';
    lastSaved = Date.now();
    const elapsedS = Math.max(0.001, (lastSaved - startedAt) / 1000);
    const saved = await transitionSearchVideo(db, searchVideoId, ['running'], {
      processed_ms: event.processedMs,
      frames_analysed: event.framesAnalysed,
      fps_measured: (event.framesAnalysed - framesBefore) / elapsedS,
      checkpoint: JSON.stringify(event.checkpoint),
      updated_at: nowIso(),
    });
    return saved ? 'saved' : 'stopped';
  };
}

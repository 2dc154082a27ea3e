import type { AppDeps } from '../deps.js';
import type { AnalysisJobName, JobContext, JobResult } from '../jobs/job.types.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  AnalysisSettings,
  RgbFrame,
} from '../recognition/recognition.types.js';
import type { VideoKind, VideoRow } from '../db/tables/video.table.js';
import type { SearchRow, SearchVideoRow } from '../db/tables/search.table.js';

/** The search video an analysis writes into. */
export interface AnalysisTarget {
  ownerId: string;
  searchId: string;
  searchVideoId: string;
  videoId: string;
}

/** Clips start this long before an appearance and end this long after it. */
export const CLIP_PAD_MS = 1500;

export type MatchEvent = Extract<AnalysisEvent, { type: 'match' }>;
export type ProgressEvent = Extract<AnalysisEvent, { type: 'progress' }>;

/** One analysis of one video of one search, as the runner hands it to a frame source. */
export interface AnalysisRun {
  deps: AppDeps;
  job: JobContext<AnalysisJobName>;
  search: SearchRow;
  sv: SearchVideoRow;
  video: VideoRow;
  settings: AnalysisSettings;
  /** Where the analysis resumes, when it ran before. */
  checkpoint: AnalysisCheckpoint | undefined;
  target: AnalysisTarget;
  /** Aborted when the run stops (pause, cancel, shutdown, or the source's own `stop`). */
  signal: AbortSignal;
  /** Stops the run with `reason`; the source's `stopped` is then asked what that means. */
  stop(reason: unknown): void;
}

/**
 * Where the frames of an analysis come from, and what the kind of video adds around the shared
 * loop (which stores matches, checkpoints, publishes progress and handles pause and cancel).
 */
export interface AnalysisSource {
  frames: AsyncIterable<RgbFrame>;
  /**
   * Also poll the search video's status every 2 s: a source that can go quiet (an offline feed)
   * yields no progress, so no checkpoint would notice a pause or cancel.
   */
  watchStatus: boolean;
  /** After a match was stored. */
  onMatch?(event: MatchEvent): void;
  /** After a checkpoint was saved (at most once a second), before progress is published. */
  onProgress?(event: ProgressEvent): void;
  /** The frames ran out: finish the search video. */
  complete(): Promise<JobResult>;
  /** The run stopped: wrap up; answers the result when the stop was the source's own (an end time). */
  stopped(reason: unknown): Promise<JobResult | undefined>;
  /** Frees what the source holds; called once, whatever happened. */
  close(): Promise<void>;
}

/** Why a video cannot be analysed at all: its search video fails at once, without retries. */
export interface SourceRefusal {
  refused: { code: string; message: string; reason: string };
}

/** Opens the frame source of a run, or refuses it. */
export type OpenAnalysisSource = (run: AnalysisRun) => Promise<AnalysisSource | SourceRefusal>;

/** The frame source of each kind of video: recorded footage and live feeds. */
export type AnalysisSources = Record<VideoKind, OpenAnalysisSource>;

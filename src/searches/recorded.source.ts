import type { OpenAnalysisSource } from './analysis.source.js';
import { cutMissingClips } from './result.writer.js';
import { transitionSearchVideo } from './search.repository.js';
import { completeSearchVideo } from './analysis.service.js';

/**
 * Recorded footage as a frame source: the stored file decoded from the checkpoint on; when the
 * frames run out the clips are cut from the file and the video is completed.
 */
export const recordedAnalysisSource: OpenAnalysisSource = async (run) => {
  const { deps, search, sv, video, signal } = run;
  if (!video.storage_key) {
    return {
      refused: {
        code: 'NOT_FOUND',
        message: 'The video file is no longer stored',
        reason: 'video file missing',
      },
    };
  }
  const file = await deps.storage.openLocal(video.storage_key);
  try {
    const info = await deps.media.probeVideo(file.path, { signal });
    if (sv.duration_ms !== info.durationMs) {
      await transitionSearchVideo(deps.db, sv.id, ['running'], { duration_ms: info.durationMs });
    }
    const frames = deps.media.decodeFrames(file.path, {
      sampledFps: run.settings.sampledFps,
      maxSide: run.settings.maxSide,
      startMs: run.checkpoint?.processedMs,
      signal,
      info,
    });
    return {
      frames,
      watchStatus: false,
      async complete() {
        await cutMissingClips(deps, run.target, file.path, info, signal);
        const completed = await completeSearchVideo(deps, search, sv.id, info.durationMs);
        if (!completed) return { status: 'skipped', reason: 'paused or cancelled at the end' };
        return { status: 'success' };
      },
      stopped: () => Promise.resolve(undefined),
      close: () => file.release(),
    };
  } catch (error) {
    await file.release();
    throw error;
  }
};

import type { Db } from '../db/database.js';
import type { JobContext, JobResult } from '../jobs/job.types.js';
import type { MediaAdapter } from '../media/media.types.js';
import { nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import { findVideoById, updateVideoById } from './video.repository.js';
import { videoFolder } from './video.service.js';

export interface RenditionDeps {
  db: Db;
  storage: Storage;
  media: MediaAdapter;
}

/** Progress is written at most this often, so a long encode does not hammer the database. */
const PROGRESS_EVERY_MS = 1000;

/**
 * Handler of `video.make-rendition`: encodes an upload browsers cannot play into H.264/AAC MP4,
 * storing progress in `videos.playback_progress`. Idempotent: a finished rendition is skipped, an
 * interrupted one starts over (ffmpeg cannot resume an encode).
 */
export function makeRenditionHandler(deps: RenditionDeps) {
  return async function renditionHandler(
    job: JobContext<'video.make-rendition'>,
  ): Promise<JobResult> {
    const { videoId } = job.payload;
    const video = await findVideoById(deps.db, videoId);
    if (!video?.storage_key) return { status: 'skipped', reason: 'the video was deleted' };
    if (video.playback_status === 'ready' || video.playback_status === 'none') {
      return { status: 'skipped', reason: `playback is already ${video.playback_status}` };
    }

    await updateVideoById(deps.db, videoId, {
      playback_status: 'processing',
      playback_progress: 0,
      updated_at: nowIso(),
    });
    let lastWrite = 0;
    let writes = Promise.resolve();
    const onProgress = (fraction: number) => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_EVERY_MS || fraction >= 1) return;
      lastWrite = now;
      writes = writes
        .then(() => updateVideoById(deps.db, videoId, { playback_progress: fraction }))
        .then(() => undefined);
    };

    const output = deps.storage.scratchPath('mp4');
    const input = await deps.storage.openLocal(video.storage_key);
    try {
      await deps.media.makeBrowserRendition(input.path, output, {
        onProgress,
        signal: job.signal,
      });
      await writes;
      const key = `${videoFolder(video.owner_id, videoId)}playback.mp4`;
      await deps.storage.putFile(key, output);
      const stillThere = await updateVideoById(deps.db, videoId, {
        playback_key: key,
        playback_status: 'ready',
        playback_progress: 1,
        updated_at: nowIso(),
      });
      if (!stillThere) {
        await deps.storage.delete(key);
        return { status: 'skipped', reason: 'the video was deleted while encoding' };
      }
      return { status: 'success' };
    } catch (error) {
      await writes;
      const interrupted = job.signal.aborted;
      await updateVideoById(deps.db, videoId, {
        playback_status: interrupted ? 'pending' : 'failed',
        playback_progress: interrupted ? 0 : null,
        updated_at: nowIso(),
      });
      if (interrupted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      return { status: 'failed', reason, retry: false };
    } finally {
      await input.release();
      await deps.storage.discardScratch(output);
    }
  };
}

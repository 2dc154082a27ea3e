import type { Db } from '../db/database.js';
import type { JobQueue } from '../jobs/job.types.js';
import type { Storage } from '../storage/storage.types.js';
import { deleteUnusedVideo, findUnusedFootage } from './video-usage.repository.js';
import { renditionJobKey, videoFolder } from './video.service.js';

/** Purging footage deletes its rows, its files and any rendition still queued. */
export interface FootagePurgeDeps {
  db: Db;
  storage: Storage;
  queue: Pick<JobQueue, 'cancel'>;
}

/**
 * The retention purge of footage (uploads and live-feed registrations) no search uses any more:
 * what only searches of purged cases used (`freedIds`), and library footage older than
 * `olderThan` whose owner has no open case. Answers how many went.
 */
export async function purgeUnusedFootage(
  deps: FootagePurgeDeps,
  freedIds: string[],
  olderThan: Date,
): Promise<number> {
  const due = await findUnusedFootage(deps.db, freedIds, olderThan.toISOString());
  let purged = 0;
  for (const video of due) {
    // A search that started meanwhile keeps it: the delete re-checks inside one statement.
    if (!(await deleteUnusedVideo(deps.db, video.id))) continue;
    await deps.queue.cancel(renditionJobKey(video.id));
    await deps.storage.deletePrefix(videoFolder(video.owner_id, video.id));
    purged += 1;
  }
  return purged;
}

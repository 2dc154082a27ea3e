import type { Db } from '../db/database.js';
import { HLS_SEGMENT_SECONDS, type HlsRelay } from '../media/live.relay.js';
import type { MediaAdapter } from '../media/media.types.js';
import { appearancesWithoutClip, recordAppearanceClip } from '../searches/analysis.service.js';
import { CLIP_PAD_MS, type AnalysisTarget } from '../searches/analysis.source.js';
import type { Storage } from '../storage/storage.types.js';

/** Clips are cut from the relay by the media adapter into storage and recorded on the appearance. */
export interface LiveClipDeps {
  db: Db;
  media: MediaAdapter;
  storage: Storage;
}

/** How long a clip waits for the relay to write the footage after an appearance ends. */
const COVER_WAIT_MS = (HLS_SEGMENT_SECONDS + 3) * 1000;

/**
 * Cuts the clip of every appearance of a live search video that has none yet out of the relayed
 * segments (wall clock = `epochMs` + time in the feed) and stores it like a recorded video's clip.
 * Returns the ids of the appearances that got a clip.
 */
export async function cutLiveClips(
  deps: LiveClipDeps,
  target: AnalysisTarget,
  relay: HlsRelay,
  epochMs: number,
  options: { trackKeys?: Set<string>; signal?: AbortSignal } = {},
): Promise<string[]> {
  const pending = await appearancesWithoutClip(deps.db, target);
  const done: string[] = [];
  for (const appearance of pending) {
    if (options.trackKeys && !options.trackKeys.has(appearance.track_key)) continue;
    const fromMs = epochMs + appearance.start_ms - CLIP_PAD_MS;
    const toMs = epochMs + appearance.end_ms + CLIP_PAD_MS;
    await relay.waitUntilCovered(toMs, COVER_WAIT_MS);
    const out = deps.storage.scratchPath('.mp4');
    const cut = await deps.media
      .cutRelayClip(relay, { fromMs, toMs }, out, options.signal)
      .catch(() => null);
    if (!cut) {
      await deps.storage.discardScratch(out);
      continue;
    }
    const key = `users/${target.ownerId}/searches/${target.searchId}/clips/${appearance.id}.mp4`;
    await deps.storage.putFile(key, out);
    await recordAppearanceClip(deps.db, appearance.id, key);
    done.push(appearance.id);
  }
  return done;
}

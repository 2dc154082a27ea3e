import type { FastifyBaseLogger } from 'fastify';
import { ensureAlertAddressConfirmed } from '../auth/email.service.js';
import type { Readable } from 'node:stream';
import type { AppDeps } from '../deps.js';
import { resolveMediaBinaries } from '../media/media.binaries.js';
import { notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { parseLiveFeedUrl } from '../videos/live-feed.url.js';
import { newWebhookSecret } from './alert.webhook.js';
import { probeLiveFeed, type LiveFeedInfo } from './live-feed.probe.js';
import { openRelayFile, relayDir } from './live-feed.relay.js';
import {
  findAlertSettings,
  findOwnedLiveVideo,
  listLiveVideos,
  ownsSearch,
  updateAlertSettings,
} from './live.repository.js';
import type { AlertSettingsInput } from './live.schema.js';

/** Where a search's HLS relay of one feed is served. */
export const hlsUrl = (searchId: string, videoId: string): string =>
  `/api/searches/${searchId}/live/${videoId}/index.m3u8`;

/** Connects to a feed and says what it carries, or why it cannot be used (an `AppError`). */
export async function testLiveFeed(deps: AppDeps, url: string): Promise<LiveFeedInfo> {
  return probeLiveFeed(resolveMediaBinaries(deps.config), parseLiveFeedUrl(url), {
    timeoutMs: deps.config.LIVE_PROBE_TIMEOUT_SECONDS * 1000,
  });
}

async function requireOwnedSearch(deps: AppDeps, ownerId: string, searchId: string) {
  if (!(await ownsSearch(deps.db, ownerId, searchId))) throw notFound('Search');
}

export async function liveStatus(deps: AppDeps, ownerId: string, searchId: string) {
  await requireOwnedSearch(deps, ownerId, searchId);
  const rows = await listLiveVideos(deps.db, searchId);
  return {
    items: rows.map((row) => ({
      videoId: row.video_id,
      title: row.title,
      status: row.status,
      state: row.live_state,
      lagMs: row.live_lag_ms,
      droppedFrames: row.live_dropped_frames ?? 0,
      reconnects: row.live_reconnects ?? 0,
      error: row.live_error,
      hlsUrl: hlsUrl(searchId, row.video_id),
    })),
  };
}

/** A file of the HLS relay of one of the owner's live feeds; NOT_FOUND for anyone else. */
export async function relayFile(
  deps: AppDeps,
  ownerId: string,
  searchId: string,
  videoId: string,
  file: string,
): Promise<{ stream: Readable; contentType: string }> {
  const owned = await findOwnedLiveVideo(deps.db, ownerId, searchId, videoId);
  if (!owned) throw notFound('Live feed');
  const opened = await openRelayFile(relayDir(deps.config.DATA_DIR, searchId, videoId), file);
  if (!opened) throw notFound('Relay segment');
  return opened;
}

function toSettings(row: Awaited<ReturnType<typeof findAlertSettings>>) {
  return {
    webhookUrl: row?.alert_webhook_url ?? null,
    webhookSecret: row?.alert_webhook_url ? (row.alert_webhook_secret ?? null) : null,
    email: row?.alert_email ?? null,
    endsAt: row?.ends_at ?? null,
  };
}

export async function getAlertSettings(deps: AppDeps, ownerId: string, searchId: string) {
  await requireOwnedSearch(deps, ownerId, searchId);
  return toSettings(await findAlertSettings(deps.db, searchId));
}

/**
 * Sets a search's live alerts and end time. The webhook's signing secret is generated with the
 * first webhook (or on `rotateSecret`) and shown to the owner so the receiver can check it.
 */
export async function setAlertSettings(
  deps: AppDeps,
  ownerId: string,
  searchId: string,
  input: AlertSettingsInput,
  log: FastifyBaseLogger,
) {
  await requireOwnedSearch(deps, ownerId, searchId);
  const current = await findAlertSettings(deps.db, searchId);
  const secret =
    input.rotateSecret || !current?.alert_webhook_secret
      ? newWebhookSecret()
      : current.alert_webhook_secret;
  await updateAlertSettings(deps.db, searchId, {
    ...(input.webhookUrl !== undefined
      ? { alert_webhook_url: input.webhookUrl, alert_webhook_secret: secret }
      : input.rotateSecret
        ? { alert_webhook_secret: secret }
        : {}),
    ...(input.email !== undefined ? { alert_email: input.email } : {}),
    ...(input.endsAt !== undefined
      ? { ends_at: input.endsAt === null ? null : new Date(input.endsAt).toISOString() }
      : {}),
    updated_at: nowIso(),
  });
  if (input.email) await ensureAlertAddressConfirmed(deps, ownerId, input.email, log);
  return toSettings(await findAlertSettings(deps.db, searchId));
}

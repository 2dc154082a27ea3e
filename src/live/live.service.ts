import type { FastifyBaseLogger } from 'fastify';
import { ensureAlertAddressConfirmed } from '../auth/email.service.js';
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import type { MediaAdapter } from '../media/media.types.js';
import type { OutboundPolicies } from '../net/outbound-policy.js';
import type { Storage } from '../storage/storage.types.js';
import { refuseDisallowedUrl } from '../net/outbound-policy.js';
import { roleAllows } from '../cases/case-access.service.js';
import { requireSearch } from '../searches/search.service.js';
import { notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import { parseLiveFeedUrl } from '../videos/live-feed.url.js';
import { newWebhookSecret } from './alert.webhook.js';
import { openRelayFile, relayKeyPrefix } from '../media/live.relay.js';
import type { LiveFeedInfo } from '../media/live.probe.js';
import { findLiveVideoOfSearch, listLiveVideos, updateAlertSettings } from './live.repository.js';
import { readAlertSettings, sealAlertSettings } from './live.sealing.js';
import type { AlertSettingsInput } from './live.schema.js';

/** What the live-feed endpoints use: feeds are probed past the outbound policy, relays read from storage. */
export interface LiveDeps {
  db: Db;
  config: Config;
  media: MediaAdapter;
  outbound: OutboundPolicies;
  storage: Storage;
  /** Opens the sealed webhook settings. */
  fields: FieldCipher;
  /** Alert addresses other than the account's own are confirmed by mail first. */
  mailer: Mailer;
}

/** Where a search's HLS relay of one feed is served. */
export const hlsUrl = (searchId: string, videoId: string): string =>
  `/api/searches/${searchId}/live/${videoId}/index.m3u8`;

/** Connects to a feed and says what it carries, or why it cannot be used (an `AppError`). */
export async function testLiveFeed(deps: LiveDeps, url: string): Promise<LiveFeedInfo> {
  return deps.media.probeLiveFeed(parseLiveFeedUrl(url), {
    policy: deps.outbound.liveFeeds,
    timeoutMs: deps.config.LIVE_PROBE_TIMEOUT_SECONDS * 1000,
  });
}

export async function liveStatus(deps: LiveDeps, userId: string, searchId: string) {
  await requireSearch(deps.db, userId, searchId, 'read');
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

/** A file of the HLS relay of one live feed of a search; NOT_FOUND for a non-member. */
export async function relayFile(
  deps: LiveDeps,
  userId: string,
  searchId: string,
  videoId: string,
  file: string,
): Promise<{ stream: Readable; contentType: string }> {
  const search = await requireSearch(deps.db, userId, searchId, 'read');
  const feed = await findLiveVideoOfSearch(deps.db, searchId, videoId);
  if (!feed) throw notFound('Live feed');
  const prefix = relayKeyPrefix(search.owner_id, searchId, videoId);
  const opened = await openRelayFile(deps.storage, prefix, file);
  if (!opened) throw notFound('Relay segment');
  return opened;
}

/** The webhook's signing secret is shown to those who may change the settings, not to viewers. */
function toSettings(row: Awaited<ReturnType<typeof readAlertSettings>>, showSecret: boolean) {
  return {
    webhookUrl: row?.alert_webhook_url ?? null,
    webhookSecret: showSecret && row?.alert_webhook_url ? (row.alert_webhook_secret ?? null) : null,
    email: row?.alert_email ?? null,
    endsAt: row?.ends_at ?? null,
  };
}

export async function getAlertSettings(deps: LiveDeps, userId: string, searchId: string) {
  const search = await requireSearch(deps.db, userId, searchId, 'read');
  return toSettings(await readAlertSettings(deps, search), roleAllows(search.role, 'edit'));
}

/**
 * Sets a search's live alerts and end time. The webhook's signing secret is generated with the
 * first webhook (or on `rotateSecret`) and shown to owner and editors so the receiver can check it.
 */
export async function setAlertSettings(
  deps: LiveDeps,
  userId: string,
  searchId: string,
  input: AlertSettingsInput,
  log: FastifyBaseLogger,
) {
  const search = await requireSearch(deps.db, userId, searchId, 'edit');
  if (input.webhookUrl) await refuseDisallowedUrl(deps.outbound.webhooks, input.webhookUrl);
  const current = await readAlertSettings(deps, search);
  const secret =
    input.rotateSecret || !current?.alert_webhook_secret
      ? newWebhookSecret()
      : current.alert_webhook_secret;
  const update = await sealAlertSettings(deps.fields, search, {
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
  await updateAlertSettings(deps.db, searchId, update);
  // Alerts go out in the owner's name: it is for them that the address must be confirmed.
  if (input.email) await ensureAlertAddressConfirmed(deps, search.owner_id, input.email, log);
  return toSettings(await readAlertSettings(deps, search), true);
}

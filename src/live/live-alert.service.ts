import type { Readable } from 'node:stream';
import { isConfirmedAlertAddress } from '../auth/email.service.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Mailer } from '../mail/mailer.js';
import type { OutboundPolicies } from '../net/outbound-policy.js';
import { detectionFrameKey } from '../searches/analysis.service.js';
import type { AppearanceDto } from '../contracts/search.contract.js';
import type { Storage } from '../storage/storage.types.js';
import { deliverWebhook, type WebhookDelivery } from './alert.webhook.js';
import type { SearchAlertColumns } from '../db/tables/live.table.js';

/** Alerts read the match and its frame, mail it, and call the webhook past the outbound policy. */
export interface LiveAlertDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  storage: Storage;
  outbound: OutboundPolicies;
}

/** What a live-match alert is about. */
export interface LiveAlertContext {
  searchId: string;
  /** Whose alerts these are: only addresses they confirmed receive e-mail. */
  ownerId: string;
  videoId: string;
  cameraTitle: string;
  person: { id: string; firstName: string; lastName: string };
  /** Wall-clock time (ms since the epoch) that `timeMs` 0 of the feed stands for. */
  epochMs: number;
  alerts: SearchAlertColumns;
}

/** The JSON body of a webhook call (`X-MPF-Signature: sha256=HMAC(secret, body)`). */
export interface LiveMatchPayload {
  event: 'live.match';
  searchId: string;
  videoId: string;
  camera: string;
  missingPerson: { id: string; firstName: string; lastName: string };
  appearance: {
    id: string;
    startMs: number;
    endMs: number;
    bestScore: number;
    box: AppearanceDto['box'];
  };
  /** When the best face was captured, ISO. */
  seenAt: string;
  frameUrl: string;
  /** The annotated frame of the best face, JPEG, base64; null when it could not be read. */
  frameJpegBase64: string | null;
}

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function bestFrameJpeg(
  deps: LiveAlertDeps,
  searchId: string,
  detectionId: string | null,
): Promise<Buffer | null> {
  if (!detectionId) return null;
  const frameKey = await detectionFrameKey(deps.db, searchId, detectionId);
  if (!frameKey) return null;
  return toBuffer(await deps.storage.get(frameKey)).catch(() => null);
}

const absolute = (deps: LiveAlertDeps, url: string) =>
  deps.config.PUBLIC_URL ? new URL(url, deps.config.PUBLIC_URL).toString() : url;

/**
 * Tells the search's webhook and e-mail address (whichever are set) that the person was seen on
 * a live feed, with the annotated frame. Failures are reported, never thrown: an alert must not
 * stop the analysis.
 */
export async function sendLiveMatchAlerts(
  deps: LiveAlertDeps,
  context: LiveAlertContext,
  appearance: AppearanceDto,
  bestDetectionId: string | null,
  signal?: AbortSignal,
): Promise<{ webhook: WebhookDelivery | null; email: boolean | null }> {
  const { alerts, person } = context;
  if (!alerts.alert_webhook_url && !alerts.alert_email) return { webhook: null, email: null };
  const frame = await bestFrameJpeg(deps, context.searchId, bestDetectionId);
  const seenAt = new Date(context.epochMs + appearance.bestTimeMs).toISOString();
  const name = `${person.firstName} ${person.lastName}`;
  const score = Math.round(appearance.bestScore * 100);

  const sendWebhook = async (): Promise<WebhookDelivery | null> => {
    if (!alerts.alert_webhook_url || !alerts.alert_webhook_secret) return null;
    const payload: LiveMatchPayload = {
      event: 'live.match',
      searchId: context.searchId,
      videoId: context.videoId,
      camera: context.cameraTitle,
      missingPerson: person,
      appearance: {
        id: appearance.id,
        startMs: appearance.startMs,
        endMs: appearance.endMs,
        bestScore: appearance.bestScore,
        box: appearance.box,
      },
      seenAt,
      frameUrl: absolute(deps, appearance.frameUrl),
      frameJpegBase64: frame ? frame.toString('base64') : null,
    };
    return deliverWebhook(
      deps.outbound.webhooks,
      alerts.alert_webhook_url,
      alerts.alert_webhook_secret,
      payload,
      { signal },
    );
  };

  const sendEmail = async (): Promise<boolean | null> => {
    if (!alerts.alert_email) return null;
    // An address that never opened a confirmation link gets nothing: alerts carry a face.
    if (!(await isConfirmedAlertAddress(deps.db, context.ownerId, alerts.alert_email))) {
      return false;
    }
    return deps.mailer
      .send({
        to: alerts.alert_email,
        subject: `Possible sighting of ${name} on ${context.cameraTitle}`,
        text:
          `${name} may have been seen on the live feed "${context.cameraTitle}" at ${seenAt} ` +
          `(similarity ${score}%).\n\nFrame: ${absolute(deps, appearance.frameUrl)}\n` +
          `Search: ${absolute(deps, `/searches/${context.searchId}`)}\n\n` +
          'Face recognition can be wrong: check the frame before acting on it.\n',
        ...(frame
          ? { attachments: [{ filename: 'frame.jpg', content: frame, contentType: 'image/jpeg' }] }
          : {}),
      })
      .then(
        () => true,
        () => false,
      );
  };

  const [webhook, email] = await Promise.all([sendWebhook(), sendEmail()]);
  return { webhook, email };
}

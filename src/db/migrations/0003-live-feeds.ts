import type { Kysely } from 'kysely';

/*
 * Live feeds: a search's alert settings (webhook with its signing secret, e-mail) and optional end
 * time, and per search video the state of its feed (online/offline, how far analysis lags behind
 * real time, frames skipped to keep up, reconnections) so the progress page shows it on load.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('searches').addColumn('alert_webhook_url', 'text').execute();
  await db.schema.alterTable('searches').addColumn('alert_webhook_secret', 'text').execute();
  await db.schema.alterTable('searches').addColumn('alert_email', 'text').execute();
  await db.schema.alterTable('searches').addColumn('ends_at', 'text').execute();
  await db.schema.alterTable('search_videos').addColumn('live_state', 'text').execute();
  await db.schema.alterTable('search_videos').addColumn('live_lag_ms', 'integer').execute();
  await db.schema.alterTable('search_videos').addColumn('live_dropped_frames', 'integer').execute();
  await db.schema.alterTable('search_videos').addColumn('live_reconnects', 'integer').execute();
  await db.schema.alterTable('search_videos').addColumn('live_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [
    'live_error',
    'live_reconnects',
    'live_dropped_frames',
    'live_lag_ms',
    'live_state',
  ]) {
    await db.schema.alterTable('search_videos').dropColumn(column).execute();
  }
  for (const column of ['ends_at', 'alert_email', 'alert_webhook_secret', 'alert_webhook_url']) {
    await db.schema.alterTable('searches').dropColumn(column).execute();
  }
}

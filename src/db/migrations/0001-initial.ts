import type { Kysely } from 'kysely';
import { columnTypes, sqlIn } from './column-types.js';

/*
 * The whole data model of ARCHITECTURE.md. Owner and footage references are `restrict`: a user's
 * cases, footage and searches are only ever removed by a deliberate service call, never as the side
 * effect of another delete. Rows that only exist as part of their parent (photos of a case, results
 * of a search) cascade with it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('password_resets_user_idx')
    .on('password_resets')
    .column('user_id')
    .execute();

  await db.schema
    .createTable('missing_persons')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text', (c) => c.notNull())
    .addColumn('age', 'integer')
    .addColumn('gender', 'text')
    .addColumn('height_cm', t.float)
    .addColumn('weight_kg', t.float)
    .addColumn('last_seen_location', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('notes', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['missing', 'found', 'closed'])),
    )
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('missing_persons_owner_status_idx')
    .on('missing_persons')
    .columns(['owner_id', 'status'])
    .execute();
  await db.schema
    .createIndex('missing_persons_status_idx')
    .on('missing_persons')
    .column('status')
    .execute();

  await db.schema
    .createTable('person_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('missing_person_id', 'text', (c) =>
      c.notNull().references('missing_persons.id').onDelete('cascade'),
    )
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('face_x', t.float)
    .addColumn('face_y', t.float)
    .addColumn('face_width', t.float)
    .addColumn('face_height', t.float)
    .addColumn('quality', t.float)
    .addColumn('enrolled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('person_photos_person_idx')
    .on('person_photos')
    .column('missing_person_id')
    .execute();

  await db.schema
    .createTable('facial_embeddings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('missing_person_id', 'text', (c) =>
      c.notNull().references('missing_persons.id').onDelete('cascade'),
    )
    .addColumn('photo_id', 'text', (c) =>
      c.notNull().unique().references('person_photos.id').onDelete('cascade'),
    )
    .addColumn('vector', t.bytes, (c) => c.notNull())
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('model_version', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('facial_embeddings_person_idx')
    .on('facial_embeddings')
    .column('missing_person_id')
    .execute();

  await db.schema
    .createTable('videos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().check(sqlIn('kind', ['upload', 'live'])))
    .addColumn('storage_key', 'text')
    .addColumn('source_url', 'text')
    .addColumn('original_name', 'text')
    .addColumn('mime_type', 'text')
    .addColumn('duration_ms', t.float)
    .addColumn('fps', t.float)
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('codec', 'text')
    .addColumn('rotation', 'integer')
    .addColumn('size_bytes', t.bigint)
    .addColumn('checksum', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sqlIn('status', ['uploaded', 'processing', 'ready', 'failed', 'offline'])),
    )
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('poster_key', 'text')
    .addColumn('playback_key', 'text')
    .addColumn('playback_status', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('playback_progress', t.float)
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('videos_owner_status_idx')
    .on('videos')
    .columns(['owner_id', 'status'])
    .execute();
  await db.schema.createIndex('videos_status_idx').on('videos').column('status').execute();
  await db.schema
    .createIndex('videos_owner_checksum_idx')
    .on('videos')
    .columns(['owner_id', 'checksum'])
    .execute();

  await db.schema
    .createTable('searches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('restrict'))
    .addColumn('missing_person_id', 'text', (c) =>
      c.notNull().references('missing_persons.id').onDelete('restrict'),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .check(
          sqlIn('status', ['queued', 'running', 'paused', 'completed', 'cancelled', 'failed']),
        ),
    )
    .addColumn('preset', 'text', (c) =>
      c.notNull().check(sqlIn('preset', ['fast', 'balanced', 'thorough'])),
    )
    .addColumn('sampled_fps', t.float, (c) => c.notNull())
    .addColumn('threshold', t.float, (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('searches_owner_status_idx')
    .on('searches')
    .columns(['owner_id', 'status'])
    .execute();
  await db.schema.createIndex('searches_status_idx').on('searches').column('status').execute();
  await db.schema
    .createIndex('searches_person_idx')
    .on('searches')
    .column('missing_person_id')
    .execute();

  await db.schema
    .createTable('search_videos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_id', 'text', (c) =>
      c.notNull().references('searches.id').onDelete('cascade'),
    )
    .addColumn('video_id', 'text', (c) => c.notNull().references('videos.id').onDelete('restrict'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('processed_ms', t.float, (c) => c.notNull().defaultTo(0))
    .addColumn('duration_ms', t.float)
    .addColumn('frames_analysed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fps_measured', t.float)
    .addColumn('checkpoint', 'text')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('search_videos_search_video_unique', ['search_id', 'video_id'])
    .execute();
  await db.schema
    .createIndex('search_videos_video_idx')
    .on('search_videos')
    .column('video_id')
    .execute();

  await db.schema
    .createTable('appearances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_id', 'text', (c) =>
      c.notNull().references('searches.id').onDelete('cascade'),
    )
    .addColumn('search_video_id', 'text', (c) =>
      c.notNull().references('search_videos.id').onDelete('cascade'),
    )
    .addColumn('video_id', 'text', (c) => c.notNull().references('videos.id').onDelete('restrict'))
    .addColumn('track_key', 'text', (c) => c.notNull())
    .addColumn('start_ms', t.float, (c) => c.notNull())
    .addColumn('end_ms', t.float, (c) => c.notNull())
    .addColumn('best_score', t.float, (c) => c.notNull())
    .addColumn('best_detection_id', 'text')
    .addColumn('detection_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('clip_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('appearances_track_unique', ['search_video_id', 'track_key'])
    .execute();
  await db.schema
    .createIndex('appearances_search_video_idx')
    .on('appearances')
    .columns(['search_id', 'video_id', 'start_ms'])
    .execute();

  await db.schema
    .createTable('detections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('search_id', 'text', (c) =>
      c.notNull().references('searches.id').onDelete('cascade'),
    )
    .addColumn('search_video_id', 'text', (c) =>
      c.notNull().references('search_videos.id').onDelete('cascade'),
    )
    .addColumn('video_id', 'text', (c) => c.notNull().references('videos.id').onDelete('restrict'))
    .addColumn('appearance_id', 'text', (c) => c.references('appearances.id').onDelete('set null'))
    .addColumn('time_ms', t.float, (c) => c.notNull())
    .addColumn('confidence', t.float, (c) => c.notNull())
    .addColumn('box_x', t.float, (c) => c.notNull())
    .addColumn('box_y', t.float, (c) => c.notNull())
    .addColumn('box_width', t.float, (c) => c.notNull())
    .addColumn('box_height', t.float, (c) => c.notNull())
    .addColumn('frame_key', 'text')
    .addColumn('face_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('detections_frame_box_unique', [
      'search_video_id',
      'time_ms',
      'box_x',
      'box_y',
    ])
    .execute();
  await db.schema
    .createIndex('detections_search_video_time_idx')
    .on('detections')
    .columns(['search_id', 'video_id', 'time_ms'])
    .execute();
  await db.schema
    .createIndex('detections_confidence_idx')
    .on('detections')
    .column('confidence')
    .execute();
  await db.schema
    .createIndex('detections_appearance_idx')
    .on('detections')
    .column('appearance_id')
    .execute();

  await db.schema
    .createTable('audit_logs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('description', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_logs_user_time_idx')
    .on('audit_logs')
    .columns(['user_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('jobs_ready_idx')
    .on('jobs')
    .columns(['status', 'priority', 'run_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'jobs',
    'audit_logs',
    'detections',
    'appearances',
    'search_videos',
    'searches',
    'videos',
    'facial_embeddings',
    'person_photos',
    'missing_persons',
    'password_resets',
    'api_tokens',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

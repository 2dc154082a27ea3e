import type { Executor } from '../db/database.js';
import type { Box } from '../recognition/recognition.types.js';
import type {
  FacialEmbeddingsTable,
  PersonPhotoRow,
  PersonPhotosTable,
} from '../db/tables/case.table.js';
import type { Insertable } from 'kysely';

export async function insertPhotoWithEmbedding(
  db: Executor,
  photo: Insertable<PersonPhotosTable>,
  embedding: Insertable<FacialEmbeddingsTable>,
): Promise<void> {
  await db.insertInto('person_photos').values(photo).execute();
  await db.insertInto('facial_embeddings').values(embedding).execute();
}

/** The case's photos; callers check access to the case first (case-access). */
export async function listPhotosOfCase(
  db: Executor,
  missingPersonId: string,
): Promise<PersonPhotoRow[]> {
  return db
    .selectFrom('person_photos')
    .selectAll()
    .where('missing_person_id', '=', missingPersonId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findPhotoOfCase(
  db: Executor,
  missingPersonId: string,
  photoId: string,
): Promise<PersonPhotoRow | undefined> {
  return db
    .selectFrom('person_photos')
    .selectAll()
    .where('id', '=', photoId)
    .where('missing_person_id', '=', missingPersonId)
    .executeTakeFirst();
}

export async function deletePhoto(db: Executor, photoId: string): Promise<void> {
  await db.deleteFrom('facial_embeddings').where('photo_id', '=', photoId).execute();
  await db.deleteFrom('person_photos').where('id', '=', photoId).execute();
}

export async function deletePhotosOfCase(db: Executor, missingPersonId: string): Promise<void> {
  await db
    .deleteFrom('facial_embeddings')
    .where('missing_person_id', '=', missingPersonId)
    .execute();
  await db.deleteFrom('person_photos').where('missing_person_id', '=', missingPersonId).execute();
}

/** Where the enrolled face is in its photo, photo pixels. */
export function faceBox(
  row: Pick<PersonPhotoRow, 'face_x' | 'face_y' | 'face_width' | 'face_height'>,
): Box {
  return {
    x: row.face_x ?? 0,
    y: row.face_y ?? 0,
    width: row.face_width ?? 0,
    height: row.face_height ?? 0,
  };
}

/** An enrolled photo's stored embedding, with what is needed to judge and redo it. */
export interface StoredReference {
  embeddingId: string;
  vector: Uint8Array;
  modelName: string;
  modelVersion: string;
  storageKey: string;
  face: Box;
}

export async function listReferencesOfCase(
  db: Executor,
  missingPersonId: string,
): Promise<StoredReference[]> {
  const rows = await db
    .selectFrom('facial_embeddings')
    .innerJoin('person_photos', 'person_photos.id', 'facial_embeddings.photo_id')
    .select([
      'facial_embeddings.id',
      'facial_embeddings.vector',
      'facial_embeddings.model_name',
      'facial_embeddings.model_version',
      'person_photos.storage_key',
      'person_photos.face_x',
      'person_photos.face_y',
      'person_photos.face_width',
      'person_photos.face_height',
    ])
    .where('facial_embeddings.missing_person_id', '=', missingPersonId)
    .where('person_photos.enrolled', '=', 1)
    .orderBy('person_photos.created_at')
    .orderBy('person_photos.id')
    .execute();
  return rows.map((row) => ({
    embeddingId: row.id,
    vector: row.vector,
    modelName: row.model_name,
    modelVersion: row.model_version,
    storageKey: row.storage_key,
    face: faceBox(row),
  }));
}

export async function updateEmbedding(
  db: Executor,
  embeddingId: string,
  embedding: { vector: Uint8Array; model_name: string; model_version: string },
): Promise<void> {
  await db.updateTable('facial_embeddings').set(embedding).where('id', '=', embeddingId).execute();
}

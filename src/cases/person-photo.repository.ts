import type { Executor } from '../db/database.js';
import type { FacialEmbeddingsTable, PersonPhotoRow, PersonPhotosTable } from './case.table.js';
import type { Insertable } from 'kysely';

export async function insertPhotoWithEmbedding(
  db: Executor,
  photo: Insertable<PersonPhotosTable>,
  embedding: Insertable<FacialEmbeddingsTable>,
): Promise<void> {
  await db.insertInto('person_photos').values(photo).execute();
  await db.insertInto('facial_embeddings').values(embedding).execute();
}

export async function listOwnedPhotos(
  db: Executor,
  ownerId: string,
  missingPersonId: string,
): Promise<PersonPhotoRow[]> {
  return db
    .selectFrom('person_photos')
    .selectAll()
    .where('owner_id', '=', ownerId)
    .where('missing_person_id', '=', missingPersonId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findOwnedPhoto(
  db: Executor,
  ownerId: string,
  missingPersonId: string,
  photoId: string,
): Promise<PersonPhotoRow | undefined> {
  return db
    .selectFrom('person_photos')
    .selectAll()
    .where('id', '=', photoId)
    .where('owner_id', '=', ownerId)
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

export async function listOwnedEmbeddingVectors(
  db: Executor,
  ownerId: string,
  missingPersonId: string,
): Promise<Uint8Array[]> {
  const rows = await db
    .selectFrom('facial_embeddings')
    .innerJoin('person_photos', 'person_photos.id', 'facial_embeddings.photo_id')
    .select('facial_embeddings.vector')
    .where('person_photos.owner_id', '=', ownerId)
    .where('facial_embeddings.missing_person_id', '=', missingPersonId)
    .where('person_photos.enrolled', '=', 1)
    .orderBy('person_photos.created_at')
    .orderBy('person_photos.id')
    .execute();
  return rows.map((row) => row.vector);
}

import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { recordAudit } from '../audit/audit.service.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { caseScope } from '../crypto/keyring.js';
import type { Db, Executor } from '../db/database.js';
import { iou } from '../recognition/geometry.js';
import type { EnrolResult, ReferenceFace } from '../recognition/recognition.types.js';
import { refuseOverQuota, type QuotaDeps } from '../quota/quota.service.js';
import { isAppError, notFound } from '../shared/app-error.js';
import { newId, nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import type { CaseAccess } from './case-access.service.js';
import { caseFolder, requireCase, type Actor } from './case.service.js';
import type { PersonPhotoRow } from '../db/tables/case.table.js';
import { bytesToEmbedding, embeddingToBytes } from './embedding.codec.js';
import { normalisePhoto } from './photo-image.adapter.js';
import {
  deletePhoto as deletePhotoRows,
  faceBox,
  findPhotoOfCase,
  insertPhotoWithEmbedding,
  listPhotosOfCase,
  listReferencesOfCase,
  updateEmbedding,
  type StoredReference,
} from './person-photo.repository.js';
import type { PhotoUploadResult, PhotoView } from './person-photo.schema.js';

/** The part of the face engine enrolment needs. */
export interface FaceEnroller {
  enrolPhoto(image: Buffer, options?: { faceIndex?: number }): Promise<EnrolResult>;
  /** Descriptors of another model or version are not comparable with this engine's. */
  readonly modelName: string;
  readonly modelVersion: string;
}

export interface PhotoServiceDeps extends QuotaDeps {
  db: Db;
  storage: Storage;
  faces: FaceEnroller;
  /** Seals file names and embeddings with the case's data key. */
  fields: FieldCipher;
}

/** Reading photos: their original file names are sealed (a file name can be a child's name). */
type PhotoReadDeps = Pick<PhotoServiceDeps, 'db' | 'fields'>;

export interface AddPhotoOptions {
  /** The face to enrol in a group photo (the form's `faceIndex`). */
  faceIndex?: number | undefined;
  /** MAX_PHOTO_BYTES, which the route already applied (`data` is null beyond it). */
  maxBytes: number;
  maxPixels: number;
}

/** One uploaded file; `data` is null when it was larger than the per-photo limit. */
export interface PhotoUpload {
  fileName: string | null;
  data: Buffer | null;
}

const imageUrl = (row: PersonPhotoRow) =>
  `/api/missing-persons/${row.missing_person_id}/photos/${row.id}/image`;

async function toView(fields: FieldCipher, row: PersonPhotoRow): Promise<PhotoView> {
  const originalName = await fields.openText(caseScope(row.missing_person_id), row.original_name);
  return {
    id: row.id,
    missingPersonId: row.missing_person_id,
    enrolled: true,
    face: { box: faceBox(row) },
    quality: row.quality,
    width: row.width,
    height: row.height,
    mimeType: row.mime_type,
    originalName,
    imageUrl: imageUrl(row),
    createdAt: row.created_at,
  };
}

/** The case a photo is added to: its files live in the owner's folder, whoever adds them. */
interface TargetCase {
  id: string;
  ownerId: string;
}

type Enrolled = Extract<EnrolResult, { ok: true }>;
type Normalised = Awaited<ReturnType<typeof normalisePhoto>>;

const notEnrolled = (
  fileName: string | null,
  error: { code: string; message: string },
  faces?: PhotoUploadResult['faces'],
): PhotoUploadResult => ({
  id: null,
  fileName,
  enrolled: false,
  ...(faces ? { faces } : {}),
  error,
});

/** The photo as stored (normalised image) once it fits the limits and the owner's quota. */
async function acceptablePhoto(
  deps: PhotoServiceDeps,
  actor: Actor,
  upload: PhotoUpload,
  { maxBytes, maxPixels }: AddPhotoOptions,
): Promise<Normalised | PhotoUploadResult> {
  if (!upload.data) {
    return notEnrolled(upload.fileName, {
      code: 'PAYLOAD_TOO_LARGE',
      message: `The photo is larger than the limit of ${maxBytes} bytes`,
    });
  }
  try {
    const photo = await normalisePhoto(upload.data, { maxPixels });
    await refuseOverQuota(deps, actor.userId, photo.data.length);
    return photo;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return notEnrolled(upload.fileName, { code: error.code, message: error.message });
  }
}

/** Stores the file, then the photo, its embedding and the audit entry in one transaction. */
async function storeEnrolled(
  deps: PhotoServiceDeps,
  actor: Actor,
  target: TargetCase,
  fileName: string | null,
  photo: Normalised,
  result: Enrolled,
): Promise<string> {
  const id = newId();
  const missingPersonId = target.id;
  const key = `${caseFolder(target.ownerId, missingPersonId)}photos/${id}.${photo.extension}`;
  await deps.storage.put(key, photo.data);
  const now = nowIso();
  const scope = caseScope(missingPersonId);
  const sealedName = await deps.fields.sealText(scope, fileName);
  const vector = await deps.fields.sealBytes(scope, embeddingToBytes(result.descriptor));
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertPhotoWithEmbedding(
        trx,
        {
          id,
          missing_person_id: missingPersonId,
          owner_id: target.ownerId,
          storage_key: key,
          original_name: sealedName,
          mime_type: photo.mimeType,
          width: photo.width,
          height: photo.height,
          face_x: result.box.x,
          face_y: result.box.y,
          face_width: result.box.width,
          face_height: result.box.height,
          quality: result.quality,
          enrolled: 1,
          error_code: null,
          created_at: now,
        },
        {
          id: newId(),
          missing_person_id: missingPersonId,
          photo_id: id,
          vector,
          model_name: result.modelName,
          model_version: result.modelVersion,
          created_at: now,
        },
      );
      await recordAudit(trx, {
        userId: actor.userId,
        action: 'case.photo.add',
        targetType: 'person_photo',
        targetId: id,
        description: `Enrolled a reference photo for case ${missingPersonId}`,
        ip: actor.ip,
      });
    });
  } catch (error) {
    await deps.storage.delete(key);
    throw error;
  }
  return id;
}

async function enrolOne(
  deps: PhotoServiceDeps,
  actor: Actor,
  target: TargetCase,
  upload: PhotoUpload,
  options: AddPhotoOptions,
): Promise<PhotoUploadResult> {
  const fileName = upload.fileName;
  const photo = await acceptablePhoto(deps, actor, upload, options);
  if ('enrolled' in photo) return photo;
  const result = await deps.faces.enrolPhoto(photo.data, { faceIndex: options.faceIndex });
  if (!result.ok) {
    return notEnrolled(
      fileName,
      { code: result.code, message: result.message },
      result.faces?.map((box) => ({ box })),
    );
  }
  const id = await storeEnrolled(deps, actor, target, fileName, photo, result);
  return { id, fileName, enrolled: true, face: { box: result.box } };
}

/** The photos of one upload request and the face chosen in them, read once access is checked. */
export type PhotoForm = () => Promise<{ uploads: PhotoUpload[]; faceIndex?: number }>;

/**
 * Validates and enrols each photo at once. Only enrolled photos are kept: a photo the engine
 * cannot use (no face, several faces, face too small, not an image, too large) is answered with
 * its error and stored nowhere. For MULTIPLE_FACES the answer lists every face's box, and the
 * client re-uploads the photo with `faceIndex` set to the chosen one. The upload is read only
 * after the caller is found to be the case's owner or an editor.
 */
export async function addPhotos(
  deps: PhotoServiceDeps,
  actor: Actor,
  missingPersonId: string,
  readForm: PhotoForm,
  limits: Omit<AddPhotoOptions, 'faceIndex'>,
): Promise<PhotoUploadResult[]> {
  const { row } = await requireCase(deps.db, actor.userId, missingPersonId, 'edit');
  const target = { id: row.id, ownerId: row.owner_id };
  const { uploads, faceIndex } = await readForm();
  const results: PhotoUploadResult[] = [];
  // One at a time: the face engine is the bottleneck and runs its own worker pool.
  for (const upload of uploads) {
    results.push(await enrolOne(deps, actor, target, upload, { ...limits, faceIndex }));
  }
  return results;
}

export async function listPhotos(deps: PhotoReadDeps, userId: string, missingPersonId: string) {
  await requireCase(deps.db, userId, missingPersonId, 'read');
  const rows = await listPhotosOfCase(deps.db, missingPersonId);
  return Promise.all(rows.map((row) => toView(deps.fields, row)));
}

async function requirePhoto(
  db: Executor,
  userId: string,
  missingPersonId: string,
  photoId: string,
  access: CaseAccess,
): Promise<PersonPhotoRow> {
  await requireCase(db, userId, missingPersonId, access);
  const row = await findPhotoOfCase(db, missingPersonId, photoId);
  if (!row) throw notFound('Photo');
  return row;
}

export async function getPhoto(
  deps: PhotoReadDeps,
  userId: string,
  missingPersonId: string,
  photoId: string,
): Promise<PhotoView> {
  const row = await requirePhoto(deps.db, userId, missingPersonId, photoId, 'read');
  return toView(deps.fields, row);
}

export async function openPhotoImage(
  deps: Pick<PhotoServiceDeps, 'db' | 'storage'>,
  userId: string,
  missingPersonId: string,
  photoId: string,
): Promise<{ stream: Readable; mimeType: string; sizeBytes: number }> {
  const row = await requirePhoto(deps.db, userId, missingPersonId, photoId, 'read');
  const stored = await deps.storage.stat(row.storage_key);
  if (!stored) throw notFound('Photo file');
  return {
    stream: await deps.storage.get(row.storage_key),
    mimeType: row.mime_type,
    sizeBytes: stored.sizeBytes,
  };
}

export async function removePhoto(
  deps: Pick<PhotoServiceDeps, 'db' | 'storage'>,
  actor: Actor,
  missingPersonId: string,
  photoId: string,
): Promise<void> {
  const row = await deps.db.transaction().execute(async (trx) => {
    const photo = await requirePhoto(trx, actor.userId, missingPersonId, photoId, 'edit');
    await deletePhotoRows(trx, photo.id);
    await recordAudit(trx, {
      userId: actor.userId,
      action: 'case.photo.delete',
      targetType: 'person_photo',
      targetId: photo.id,
      description: `Deleted a reference photo of case ${missingPersonId}`,
      ip: actor.ip,
    });
    return photo;
  });
  await deps.storage.delete(row.storage_key);
}

/**
 * The reference faces of every enrolled photo of the case, oldest first; an empty array when the
 * case has none. Callers check the user's access to the case first. An embedding made by
 * another model or version of the engine is made again from the stored photo (and saved), so
 * an upgrade never compares descriptors that do not belong together; a photo that no longer
 * enrols is left out.
 */
export async function loadReferenceFaces(
  deps: PhotoServiceDeps,
  missingPersonId: string,
): Promise<ReferenceFace[]> {
  const stored = await listReferencesOfCase(deps.db, missingPersonId);
  const references: ReferenceFace[] = [];
  for (const reference of stored) {
    const current =
      reference.modelName === deps.faces.modelName &&
      reference.modelVersion === deps.faces.modelVersion;
    const descriptor = current
      ? bytesToEmbedding(await deps.fields.openBytes(caseScope(missingPersonId), reference.vector))
      : await reenrol(deps, missingPersonId, reference);
    if (descriptor) references.push({ descriptor, faceSize: reference.face.width });
  }
  return references;
}

/** Describes a stored photo's face again with the engine in use and saves the new embedding. */
async function reenrol(
  deps: PhotoServiceDeps,
  missingPersonId: string,
  reference: StoredReference,
): Promise<Float32Array | null> {
  const image = await buffer(await deps.storage.get(reference.storageKey));
  let result = await deps.faces.enrolPhoto(image);
  if (!result.ok && result.code === 'MULTIPLE_FACES' && result.faces) {
    // The face the user picked is the one where it was found before.
    const overlaps = result.faces.map((box) => iou(box, reference.face));
    result = await deps.faces.enrolPhoto(image, {
      faceIndex: overlaps.indexOf(Math.max(...overlaps)),
    });
  }
  if (!result.ok) return null;
  await updateEmbedding(deps.db, reference.embeddingId, {
    vector: await deps.fields.sealBytes(
      caseScope(missingPersonId),
      embeddingToBytes(result.descriptor),
    ),
    model_name: result.modelName,
    model_version: result.modelVersion,
  });
  return result.descriptor;
}

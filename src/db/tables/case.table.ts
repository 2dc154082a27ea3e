import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export type CaseStatus = 'missing' | 'found' | 'closed';

export interface MissingPersonsTable {
  id: string;
  owner_id: string;
  first_name: string;
  last_name: string;
  age: number | null;
  gender: string | null;
  height_cm: number | null;
  weight_kg: number | null;
  last_seen_location: string | null;
  last_seen_at: string | null;
  notes: string | null;
  status: CaseStatus;
  created_at: string;
  updated_at: string;
  /** When the case became found or closed; null while it is open (missing). Retention counts from it. */
  closed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Days the case is kept after closing; null uses RETENTION_DAYS. */
  retention_days: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1 while a legal hold keeps the case from being purged, whatever its age. */
  legal_hold: ColumnType<number, number | undefined, number>;
  legal_hold_by: ColumnType<string | null, string | null | undefined, string | null>;
  legal_hold_at: ColumnType<string | null, string | null | undefined, string | null>;
  legal_hold_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PersonPhotosTable {
  id: string;
  missing_person_id: string;
  owner_id: string;
  storage_key: string;
  original_name: string | null;
  mime_type: string;
  width: number;
  height: number;
  /** Face box in pixels of the stored image; null when no usable face was enrolled. */
  face_x: number | null;
  face_y: number | null;
  face_width: number | null;
  face_height: number | null;
  quality: number | null;
  enrolled: number;
  error_code: string | null;
  created_at: string;
}

export interface FacialEmbeddingsTable {
  id: string;
  missing_person_id: string;
  photo_id: string;
  /** 128 little-endian float32 values. */
  vector: Uint8Array;
  model_name: string;
  model_version: string;
  created_at: string;
}

export type MissingPersonRow = Selectable<MissingPersonsTable>;
export type NewMissingPerson = Insertable<MissingPersonsTable>;
export type MissingPersonUpdate = Updateable<MissingPersonsTable>;
export type PersonPhotoRow = Selectable<PersonPhotosTable>;
export type FacialEmbeddingRow = Selectable<FacialEmbeddingsTable>;

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from './test-app.js';

/** The multipart form of `POST /api/videos`: text fields, then (or first) the file part. */
export function videoForm(
  fields: Record<string, string>,
  filePath?: string,
  { fileFirst = false } = {},
): FormData {
  const body = new FormData();
  const addFile = () => {
    if (filePath) body.append('file', new Blob([readFileSync(filePath)]), path.basename(filePath));
  };
  if (fileFirst) addFile();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (!fileFirst) addFile();
  return body;
}

/** Every stored video file of the user (originals, posters, renditions). */
export function storedVideoFiles(t: TestApp, userId: string): string[] {
  const dir = path.join(t.config.DATA_DIR, 'files', 'users', userId, 'videos');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Temporary files in the storage's scratch folder (uploads arriving, renditions being made). */
export const scratchFiles = (t: TestApp) => readdirSync(path.join(t.config.DATA_DIR, 'tmp'));

/** Uploads being received or left behind by a refused one (storage writes them as `*.part`). */
export const partialUploads = (t: TestApp) => scratchFiles(t).filter((f) => f.endsWith('.part'));

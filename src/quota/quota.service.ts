import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../shared/app-error.js';
import type { Storage } from '../storage/storage.types.js';
import { listOwnedPhotoKeys, sumOwnedVideoBytes } from './quota.repository.js';

export interface QuotaDeps {
  db: Db;
  storage: Storage;
  config: Pick<Config, 'USER_STORAGE_QUOTA_BYTES'>;
}

/** Bytes the user stores: uploaded footage plus reference photos. */
export async function usedStorageBytes(deps: QuotaDeps, userId: string): Promise<number> {
  const videos = await sumOwnedVideoBytes(deps.db, userId);
  const photoKeys = await listOwnedPhotoKeys(deps.db, userId);
  const photos = await Promise.all(photoKeys.map((key) => deps.storage.stat(key)));
  return photos.reduce((sum, photo) => sum + (photo?.sizeBytes ?? 0), videos);
}

/** What USER_STORAGE_QUOTA_BYTES still allows the user to store; undefined when it is off. */
export async function remainingQuota(
  deps: QuotaDeps,
  userId: string,
): Promise<{ remainingBytes: number; usedBytes: number; quotaBytes: number } | undefined> {
  const quotaBytes = deps.config.USER_STORAGE_QUOTA_BYTES;
  if (quotaBytes === 0) return undefined;
  const usedBytes = await usedStorageBytes(deps, userId);
  return { remainingBytes: Math.max(0, quotaBytes - usedBytes), usedBytes, quotaBytes };
}

export function quotaExceeded(quota: { usedBytes: number; quotaBytes: number }): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `This would exceed your storage quota of ${quota.quotaBytes} bytes (${quota.usedBytes} used)`,
    { quotaBytes: quota.quotaBytes, usedBytes: quota.usedBytes },
  );
}

/** Throws QUOTA_EXCEEDED when storing `bytes` more would take the user past the quota. */
export async function refuseOverQuota(deps: QuotaDeps, userId: string, bytes: number) {
  const quota = await remainingQuota(deps, userId);
  if (quota && bytes > quota.remainingBytes) throw quotaExceeded(quota);
}

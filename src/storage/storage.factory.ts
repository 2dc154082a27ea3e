import path from 'node:path';
import type { Config } from '../config.js';
import { createLocalStorage } from './local.storage.js';
import { createS3Storage, parseS3Url } from './s3.storage.js';
import type { Storage } from './storage.types.js';

/** Local disk under DATA_DIR, or an S3-compatible bucket when STORAGE_URL is set. */
export function createStorage(config: Config): Storage {
  if (!config.STORAGE_URL) return createLocalStorage(config.DATA_DIR);
  const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = config;
  const credentials =
    AWS_ACCESS_KEY_ID && AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: AWS_ACCESS_KEY_ID,
          secretAccessKey: AWS_SECRET_ACCESS_KEY,
          sessionToken: AWS_SESSION_TOKEN,
        }
      : undefined;
  return createS3Storage({
    location: parseS3Url(config.STORAGE_URL),
    credentials,
    scratchRoot: path.join(config.DATA_DIR, 'tmp'),
  });
}

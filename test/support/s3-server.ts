import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseS3Url, s3ClientConfig } from '../../src/storage/s3.storage.js';

interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  /** Path-style buckets only: the test never resolves `<bucket>.127.0.0.1`. */
  vhostBuckets: boolean;
  allowMismatchedSignatures: boolean;
}
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as new (
  options: S3rverOptions,
) => S3rverInstance;

/** s3rver's fixed account: another access key id is refused. */
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** A real S3-compatible server (s3rver, files in a temporary folder) on a random loopback port. */
export interface TestS3Server {
  endpoint: string;
  /** Makes a fresh bucket and returns its STORAGE_URL. */
  createBucket(): Promise<string>;
  /** Every object key in the bucket of `storageUrl`. */
  keys(storageUrl: string): Promise<string[]>;
  /** Environment variables that point the app at the bucket of `storageUrl`. */
  env(storageUrl: string): Record<string, string>;
  client: S3Client;
  close(): Promise<void>;
}

let buckets = 0;

export async function startS3Server(): Promise<TestS3Server> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'mpf-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    // s3rver rebuilds a bucket request's path without the trailing slash the SDK signs
    // (`/bucket/?list-type=2`), so it would refuse every correctly signed bucket-level request.
    allowMismatchedSignatures: true,
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client(
    s3ClientConfig(
      { bucket: '', region: 'us-east-1', endpoint, forcePathStyle: true },
      S3_CREDENTIALS,
    ),
  );
  return {
    endpoint,
    client,
    async createBucket() {
      buckets += 1;
      const bucket = `mpf-${process.pid}-${buckets}-${Date.now().toString(36)}`;
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      return `s3://${bucket}?endpoint=${endpoint}&region=us-east-1&forcePathStyle=true`;
    },
    async keys(storageUrl) {
      const { Contents = [] } = await client.send(
        new ListObjectsV2Command({ Bucket: parseS3Url(storageUrl).bucket }),
      );
      return Contents.flatMap((item) => (item.Key ? [item.Key] : [])).sort();
    },
    env: (storageUrl) => ({
      STORAGE_URL: storageUrl,
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    }),
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

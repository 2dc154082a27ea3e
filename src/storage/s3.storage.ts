import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../shared/app-error.js';
import type {
  ByteRange,
  LocalFile,
  PutOptions,
  PutResult,
  Storage,
  StoredObject,
} from './storage.types.js';
import {
  assertValidKey,
  createScratchDir,
  MeasuringStream,
  toReadable,
  type ScratchDir,
} from './storage.streams.js';

/** Where the objects live, parsed from `STORAGE_URL=s3://bucket?endpoint=…&region=…`. */
export interface S3Location {
  bucket: string;
  region: string;
  /** An S3-compatible service (MinIO, Ceph, R2 …); absent for AWS itself. */
  endpoint?: string;
  /** `bucket` in the path rather than the host name, as most self-hosted stores need. */
  forcePathStyle: boolean;
}

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Parses a STORAGE_URL; throws on anything but `s3://<bucket>` with known options. */
export function parseS3Url(url: string): S3Location {
  const parsed = new URL(url);
  if (parsed.protocol !== 's3:' || !parsed.hostname || parsed.pathname.replace(/\/$/, '')) {
    throw new Error('STORAGE_URL must look like s3://bucket?endpoint=…&region=…');
  }
  const known = new Set(['endpoint', 'region', 'forcePathStyle']);
  const unknown = [...parsed.searchParams.keys()].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new Error(`STORAGE_URL has unknown options: ${unknown.join(', ')}`);
  return {
    bucket: parsed.hostname,
    region: parsed.searchParams.get('region') ?? 'us-east-1',
    endpoint: parsed.searchParams.get('endpoint') ?? undefined,
    forcePathStyle: parsed.searchParams.get('forcePathStyle') === 'true',
  };
}

/** Client settings for `location`; without `credentials` the SDK's own chain (instance roles …) applies. */
export function s3ClientConfig(location: S3Location, credentials?: S3Credentials): S3ClientConfig {
  return {
    region: location.region,
    endpoint: location.endpoint,
    forcePathStyle: location.forcePathStyle,
    credentials,
    // Checksums only where S3 requires them: several S3-compatible stores reject the SDK's
    // default trailing checksums on streamed uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** The SDK, loaded on first use: a deployment on local disk never pays for importing it. */
async function connect(location: S3Location, credentials?: S3Credentials) {
  const [sdk, { Upload }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/lib-storage'),
  ]);
  const client: S3Client = new sdk.S3Client(s3ClientConfig(location, credentials));
  return { sdk, Upload, client };
}

function isNotFound(error: unknown): boolean {
  const failure = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    failure.name === 'NoSuchKey' ||
    failure.name === 'NotFound' ||
    failure.$metadata?.httpStatusCode === 404
  );
}

/** The bucket of a storage and its SDK client, connected on first use. */
interface Bucket {
  name: string;
  s3: () => ReturnType<typeof connect>;
}

async function upload(bucket: Bucket, key: string, body: Readable): Promise<void> {
  const { client, Upload } = await bucket.s3();
  // Parts are sent as they fill (5 MiB, four in flight): memory stays bounded for any size.
  await new Upload({ client, params: { Bucket: bucket.name, Key: key, Body: body } }).done();
}

async function statObject(bucket: Bucket, key: string): Promise<StoredObject | undefined> {
  assertValidKey(key);
  const { client, sdk } = await bucket.s3();
  try {
    const head = await client.send(new sdk.HeadObjectCommand({ Bucket: bucket.name, Key: key }));
    return {
      key,
      sizeBytes: head.ContentLength ?? 0,
      modifiedAt: head.LastModified ?? new Date(),
    };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function getObject(bucket: Bucket, key: string, range?: ByteRange): Promise<Readable> {
  assertValidKey(key);
  const { client, sdk } = await bucket.s3();
  try {
    const object = await client.send(
      new sdk.GetObjectCommand({
        Bucket: bucket.name,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end}` : undefined,
      }),
    );
    if (!(object.Body instanceof Readable)) throw new Error('S3 returned no body stream');
    return object.Body;
  } catch (error) {
    if (isNotFound(error)) throw new AppError('NOT_FOUND', 'File not found');
    throw error;
  }
}

async function putObject(
  bucket: Bucket,
  key: string,
  source: Readable | Buffer,
  options: PutOptions = {},
): Promise<PutResult> {
  assertValidKey(key);
  const measure = new MeasuringStream(options.maxBytes);
  const input = toReadable(source);
  input.once('error', (error) => measure.destroy(error));
  try {
    // A failed body aborts the multipart upload, so S3 keeps neither the object nor parts.
    await upload(bucket, key, input.pipe(measure));
  } catch (error) {
    // Like a failed pipeline on local disk: the rest of the source is not read.
    input.unpipe(measure);
    input.destroy();
    throw measure.exceeded ? measure.tooLarge() : error;
  }
  return { key, sizeBytes: measure.bytes, sha256: measure.hash.digest('hex') };
}

async function putLocalFile(bucket: Bucket, key: string, localPath: string) {
  assertValidKey(key);
  await upload(bucket, key, createReadStream(localPath));
  await rm(localPath, { force: true });
  const stored = await statObject(bucket, key);
  if (!stored) throw new Error(`Stored object vanished: ${key}`);
  return stored;
}

async function deleteObject(bucket: Bucket, key: string): Promise<void> {
  assertValidKey(key);
  const { client, sdk } = await bucket.s3();
  await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket.name, Key: key }));
}

/** Deletes every object under `prefix`, a listed page (up to 1000 keys) at a time. */
async function deleteObjectsUnder(bucket: Bucket, prefix: string): Promise<void> {
  assertValidKey(prefix.replace(/\/+$/, ''));
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const { client, sdk } = await bucket.s3();
  let token: string | undefined;
  do {
    const page = await client.send(
      new sdk.ListObjectsV2Command({
        Bucket: bucket.name,
        Prefix: folder,
        ContinuationToken: token,
      }),
    );
    const keys = (page.Contents ?? []).flatMap((item) => (item.Key ? [{ Key: item.Key }] : []));
    if (keys.length > 0) {
      const result = await client.send(
        new sdk.DeleteObjectsCommand({
          Bucket: bucket.name,
          Delete: { Objects: keys, Quiet: true },
        }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        throw new Error(`Could not delete ${failed.length} objects under ${folder}`);
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** Every object under `prefix`, a listed page (up to 1000 keys) at a time. */
async function* listObjects(bucket: Bucket, prefix: string): AsyncGenerator<StoredObject> {
  const { client, sdk } = await bucket.s3();
  let token: string | undefined;
  do {
    const page = await client.send(
      new sdk.ListObjectsV2Command({
        Bucket: bucket.name,
        Prefix: prefix,
        ContinuationToken: token,
      }),
    );
    for (const item of page.Contents ?? []) {
      if (!item.Key) continue;
      yield {
        key: item.Key,
        sizeBytes: item.Size ?? 0,
        modifiedAt: item.LastModified ?? new Date(),
      };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

/** A local copy of an object in scratch space, removed on `release`. */
async function downloadToScratch(
  bucket: Bucket,
  scratch: ScratchDir,
  key: string,
): Promise<LocalFile> {
  const source = await getObject(bucket, key);
  const localPath = scratch.path(path.extname(key));
  const release = () => rm(localPath, { force: true });
  try {
    await pipeline(source, createWriteStream(localPath, { flags: 'wx' }));
  } catch (error) {
    await release();
    throw error;
  }
  return { path: localPath, release };
}

/**
 * Objects in an S3-compatible bucket under their keys. Writes stream in as multipart uploads,
 * which S3 publishes atomically on completion; reads stream out, with byte ranges. ffmpeg gets a
 * local copy streamed to `<scratchRoot>` and removed on `release`: every node that analyses
 * footage needs local scratch space for the largest video it processes at once, and each
 * analysis downloads its video once. (Handing ffmpeg a presigned http URL would save the disk but
 * let ffmpeg open network URLs, and a URL can expire during a long analysis.)
 */
export function createS3Storage(options: {
  location: S3Location;
  credentials?: S3Credentials;
  scratchRoot: string;
}): Storage {
  const scratch = createScratchDir(options.scratchRoot);
  let connection: ReturnType<typeof connect> | undefined;
  const bucket: Bucket = {
    name: options.location.bucket,
    s3: () => (connection ??= connect(options.location, options.credentials)),
  };
  return {
    put: (key, source, putOptions) => putObject(bucket, key, source, putOptions),
    putFile: (key, localPath) => putLocalFile(bucket, key, localPath),
    get: (key, range) => getObject(bucket, key, range),
    stat: (key) => statObject(bucket, key),
    delete: (key) => deleteObject(bucket, key),
    deletePrefix: (prefix) => deleteObjectsUnder(bucket, prefix),
    list: (prefix) => listObjects(bucket, prefix),
    openLocal: (key) => downloadToScratch(bucket, scratch, key),
    scratchPath: (extension) => scratch.path(extension),
    scratchDir: () => scratch.folder(),
    discardScratch: (localPath) => scratch.discard(localPath),
  };
}

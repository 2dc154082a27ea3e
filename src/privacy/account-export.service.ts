import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { ZipArchive, type ArchiverError } from 'archiver';
import { recordAudit } from '../audit/audit.service.js';
import { findUserById } from '../auth/account.service.js';
import { bytesToEmbedding } from '../cases/case.service.js';
import { caseScope, userScope, type KeyScope } from '../crypto/keyring.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db } from '../db/database.js';
import type { AppearanceRow, DetectionRow } from '../db/tables/search.table.js';
import type { VideoRow } from '../db/tables/video.table.js';
import { notFound } from '../shared/app-error.js';
import { nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import { maskLiveFeedUrl } from '../videos/live-feed.url.js';
import * as repo from './privacy.repository.js';

/** An export reads every table about the user and streams their files out of storage. */
export interface ExportDeps {
  db: Db;
  storage: Storage;
  fields: FieldCipher;
}

export interface ExportOptions {
  /** Add the footage files themselves (they can weigh gigabytes); metadata is always there. */
  includeFootageFiles: boolean;
}

/** One file of the archive, read from storage only when the archive reaches it. */
interface StoredEntry {
  key: string;
  name: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const README = `This archive holds everything Missing Person Finder keeps about your account:
- account.json: your profile, e-mail addresses and confirmations, alert recipients, sign-ins
  (sessions: when and from where), API tokens (names and dates only, never the secret), the
  invitations you sent and your memberships in cases others own (case names and your role).
- cases/<id>/case.json: every case you own, with its photos' details and the face embeddings
  (128 numbers per photo); cases/<id>/photos/: the reference photos as you uploaded them.
- footage.json: your footage (uploads and live feeds; camera passwords masked); footage/<id>/:
  the video files, when the export was asked with include=files.
- searches/<id>/search.json: your searches with their videos, appearances and detections;
  frames/, faces/ and clips/ next to it: the images and clips they produced.
- audit.json: the audit log of what you did.
- missing-files.json (only if needed): files that were listed but could not be read.
`;

/** Opens every sealed text field of a row with the first scope that opens it. */
async function openRow<T extends object>(fields: FieldCipher, scopes: KeyScope[], row: T) {
  const entries = await Promise.all(
    Object.entries(row).map(async ([name, value]) => {
      if (typeof value !== 'string') return [name, value] as const;
      for (const scope of scopes) {
        try {
          return [name, await fields.openText(scope, value)] as const;
        } catch {
          // Sealed under another scope: try the next one.
        }
      }
      return [name, null] as const;
    }),
  );
  return Object.fromEntries(entries) as T;
}

async function accountDocument(deps: ExportDeps, userId: string) {
  const user = await findUserById(deps.db, userId);
  if (!user) throw notFound('User');
  const [sessions, tokens, confirmations, alertRecipients, invitations, memberships] =
    await Promise.all([
      repo.listSessionsOf(deps.db, userId),
      repo.listTokensOf(deps.db, userId),
      repo.listEmailConfirmationsOf(deps.db, userId),
      repo.listAlertRecipientsOf(deps.db, userId),
      repo.listInvitationsBy(deps.db, userId),
      repo.listMembershipsInOthersCases(deps.db, userId),
    ]);
  return {
    exportedAt: nowIso(),
    profile: { ...user, password_hash: undefined },
    emailConfirmations: confirmations,
    alertRecipients,
    sessions,
    apiTokens: tokens.map(({ session_id, ...token }) => ({
      ...token,
      kind: session_id ? 'login' : 'personal',
    })),
    invitationsSent: invitations,
    memberships: await Promise.all(
      memberships.map((m) => openRow(deps.fields, [caseScope(m.id)], m)),
    ),
  };
}

const extensionOf = (mimeType: string | null, fallback: string) =>
  ({ 'image/png': 'png', 'image/webp': 'webp', 'image/jpeg': 'jpg' })[mimeType ?? ''] ?? fallback;

async function caseEntries(deps: ExportDeps, userId: string) {
  const cases = await repo.listOwnedCases(deps.db, userId);
  const ids = cases.map((row) => row.id);
  const [photos, embeddings] = await Promise.all([
    repo.listPhotosOfCases(deps.db, ids),
    repo.listEmbeddingsOfCases(deps.db, ids),
  ]);
  const documents: { name: string; body: string }[] = [];
  const files: StoredEntry[] = [];
  for (const row of cases) {
    const scope = caseScope(row.id);
    const ownPhotos = photos.filter((photo) => photo.missing_person_id === row.id);
    const vectors = await Promise.all(
      embeddings
        .filter((embedding) => embedding.missing_person_id === row.id)
        .map(async ({ vector, ...embedding }) => ({
          ...embedding,
          vector: Array.from(bytesToEmbedding(await deps.fields.openBytes(scope, vector))),
        })),
    );
    const photoFiles = ownPhotos.map((photo) => ({
      key: photo.storage_key,
      name: `cases/${row.id}/photos/${photo.id}.${extensionOf(photo.mime_type, 'jpg')}`,
    }));
    files.push(...photoFiles);
    documents.push({
      name: `cases/${row.id}/case.json`,
      body: json({
        ...(await openRow(deps.fields, [scope], row)),
        photos: ownPhotos.map((photo, index) => ({ ...photo, file: photoFiles[index]?.name })),
        embeddings: vectors,
      }),
    });
  }
  return { documents, files };
}

async function footageEntries(deps: ExportDeps, userId: string, options: ExportOptions) {
  const videos = await repo.listVideosOf(deps.db, userId);
  const fileName = (video: VideoRow) =>
    `footage/${video.id}/original${video.original_name?.match(/\.[A-Za-z0-9]{1,5}$/)?.[0] ?? ''}`;
  const rows = await Promise.all(
    videos.map(async (video) => {
      const opened = await openRow(deps.fields, [userScope(userId)], video);
      return {
        ...opened,
        source_url: opened.source_url && maskLiveFeedUrl(opened.source_url),
        file: options.includeFootageFiles && video.storage_key ? fileName(video) : null,
      };
    }),
  );
  const files = options.includeFootageFiles
    ? videos.flatMap((video) =>
        video.storage_key ? [{ key: video.storage_key, name: fileName(video) }] : [],
      )
    : [];
  return { documents: [{ name: 'footage.json', body: json(rows) }], files };
}

function resultFiles(folder: string, detections: DetectionRow[], appearances: AppearanceRow[]) {
  return [
    ...detections.flatMap((d) => [
      ...(d.frame_key ? [{ key: d.frame_key, name: `${folder}/frames/${d.id}.jpg` }] : []),
      ...(d.face_key ? [{ key: d.face_key, name: `${folder}/faces/${d.id}.jpg` }] : []),
    ]),
    ...appearances.flatMap((a) =>
      a.clip_key ? [{ key: a.clip_key, name: `${folder}/clips/${a.id}.mp4` }] : [],
    ),
  ];
}

async function searchEntries(deps: ExportDeps, userId: string) {
  const searches = await repo.listSearchesOf(deps.db, userId);
  const documents: { name: string; body: string }[] = [];
  const files: StoredEntry[] = [];
  for (const search of searches) {
    const folder = `searches/${search.id}`;
    const [videos, appearances, detections] = await Promise.all([
      repo.listSearchVideosOf(deps.db, search.id),
      repo.listAppearancesOf(deps.db, search.id),
      repo.listDetectionsOf(deps.db, search.id),
    ]);
    const scopes = [caseScope(search.missing_person_id), userScope(userId)];
    documents.push({
      name: `${folder}/search.json`,
      body: json({
        ...(await openRow(deps.fields, scopes, search)),
        videos,
        appearances,
        detections,
      }),
    });
    files.push(...resultFiles(folder, detections, appearances));
  }
  return { documents, files };
}

/** An archive that counts the entries appended and those already written out. */
function countingZip() {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const counts = { appended: 0, written: 0 };
  zip.on('entry', () => (counts.written += 1));
  const add = (body: string | Readable, name: string, store = false) => {
    zip.append(body, { name, store });
    counts.appended += 1;
  };
  return { zip, counts, add };
}

/**
 * Appends the stored files one at a time, each opened only once the archive has written every
 * entry before it, so a slow download holds one open file, not thousands. `signal` ends the wait
 * when the client goes away.
 */
async function appendFiles(
  archive: ReturnType<typeof countingZip>,
  storage: Storage,
  files: StoredEntry[],
  signal: AbortSignal,
) {
  const missing: string[] = [];
  for (const file of files) {
    while (archive.counts.written < archive.counts.appended) {
      await once(archive.zip, 'entry', { signal });
    }
    let body: Readable;
    try {
      body = await storage.get(file.key);
    } catch {
      missing.push(file.name);
      continue;
    }
    archive.add(body, file.name, true);
  }
  if (missing.length > 0) archive.add(json(missing), 'missing-files.json');
}

async function collectEntries(deps: ExportDeps, userId: string, options: ExportOptions) {
  const account = await accountDocument(deps, userId);
  const parts = [
    await caseEntries(deps, userId),
    await footageEntries(deps, userId, options),
    await searchEntries(deps, userId),
  ];
  const audit = await repo.listAuditOf(deps.db, userId);
  return {
    documents: [
      { name: 'README.txt', body: README },
      { name: 'account.json', body: json(account) },
      ...parts.flatMap((part) => part.documents),
      { name: 'audit.json', body: json(audit) },
    ],
    files: parts.flatMap((part) => part.files),
  };
}

/**
 * Everything the product holds about the user as a ZIP, streamed: the documents are small and
 * built first; the files are read from storage (decrypted) as the client downloads. Audited.
 */
export async function exportAccount(
  deps: ExportDeps,
  actor: { userId: string; ip: string },
  options: ExportOptions,
): Promise<Readable> {
  const { documents, files } = await collectEntries(deps, actor.userId, options);
  await recordAudit(deps.db, {
    userId: actor.userId,
    action: 'account.export',
    description: `Downloaded their data${options.includeFootageFiles ? ' with footage files' : ''}`,
    ip: actor.ip,
  });
  const archive = countingZip();
  const out = new PassThrough();
  const gone = new AbortController();
  archive.zip.on('error', (error: ArchiverError) => out.destroy(error));
  out.on('close', () => {
    if (!out.writableFinished) {
      gone.abort();
      archive.zip.abort();
    }
  });
  archive.zip.pipe(out);
  for (const document of documents) archive.add(document.body, document.name);
  appendFiles(archive, deps.storage, files, gone.signal).then(
    () => void archive.zip.finalize(),
    (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))),
  );
  return out;
}

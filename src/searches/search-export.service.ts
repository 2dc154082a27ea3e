import { PassThrough, type Readable } from 'node:stream';
import { ZipArchive, type ArchiverError } from 'archiver';
import { recordAudit } from '../audit/audit.service.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { Db } from '../db/database.js';
import { nowIso } from '../shared/clock.js';
import type { Storage } from '../storage/storage.types.js';
import { listAppearances, listDetections } from './result.repository.js';
import { getSummary } from './result.service.js';
import { formatTimecode, renderReportHtml, type SearchResults } from './search-report.html.js';
import type { ExportFormat } from './search.schema.js';
import type { Actor } from './search.service.js';
import { getSearch } from './search.service.js';
import { toAppearance, toDetection } from './search.mapper.js';

/** An export reads the results and, for a ZIP, their image files. */
export interface SearchExportDeps {
  db: Db;
  storage: Storage;
  fields: FieldCipher;
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: string | Readable;
}

async function collectResults(
  deps: SearchExportDeps,
  userId: string,
  searchId: string,
): Promise<SearchResults> {
  const search = await getSearch(deps, userId, searchId);
  const [summary, appearanceRows, { rows: detectionRows }] = await Promise.all([
    getSummary(deps.db, userId, searchId),
    listAppearances(deps.db, searchId),
    listDetections(deps.db, searchId, { sort: 'time' }),
  ]);
  const appearances = appearanceRows.map((row) => ({
    ...toAppearance(row),
    detections: detectionRows.filter((d) => d.appearance_id === row.id).map(toDetection),
  }));
  return { generatedAt: nowIso(), search, summary, appearances };
}

const csvCell = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

/** One row per detection, grouped by appearance, with readable timecodes. */
export function resultsCsv(results: SearchResults): string {
  const titles = new Map(results.search.videos.map((video) => [video.videoId, video.title]));
  const header = [
    'appearance_id',
    'video_id',
    'video_title',
    'appearance_start_ms',
    'appearance_end_ms',
    'appearance_start',
    'appearance_end',
    'best_score',
    'detection_id',
    'time_ms',
    'time',
    'confidence',
    'box_x',
    'box_y',
    'box_width',
    'box_height',
  ];
  const lines = results.appearances.flatMap((appearance) =>
    appearance.detections.map((detection) =>
      [
        appearance.id,
        appearance.videoId,
        titles.get(appearance.videoId) ?? '',
        appearance.startMs,
        appearance.endMs,
        formatTimecode(appearance.startMs),
        formatTimecode(appearance.endMs),
        appearance.bestScore,
        detection.id,
        detection.timeMs,
        formatTimecode(detection.timeMs),
        detection.confidence,
        detection.box.x,
        detection.box.y,
        detection.box.width,
        detection.box.height,
      ]
        .map(csvCell)
        .join(','),
    ),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

/** Paths inside the ZIP, which the HTML report links to. */
export const zipPaths = {
  frame: (detectionId: string) => `frames/${detectionId}.jpg`,
  face: (detectionId: string) => `faces/${detectionId}.jpg`,
  clip: (appearanceId: string) => `clips/${appearanceId}.mp4`,
};

async function zipStream(deps: SearchExportDeps, searchId: string, results: SearchResults) {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  zip.on('error', (error: ArchiverError) => out.destroy(error));
  zip.pipe(out);

  const appearanceRows = await listAppearances(deps.db, searchId);
  const { rows: detections } = await listDetections(deps.db, searchId, { sort: 'time' });
  zip.append(JSON.stringify(results, null, 2), { name: 'results.json' });
  zip.append(renderReportHtml(results, zipPaths), { name: 'report.html' });
  // Images and clips are streamed from storage one after another as archiver consumes them.
  for (const detection of detections) {
    if (detection.frame_key) {
      zip.append(await deps.storage.get(detection.frame_key), {
        name: zipPaths.frame(detection.id),
        store: true,
      });
    }
    if (detection.face_key) {
      zip.append(await deps.storage.get(detection.face_key), {
        name: zipPaths.face(detection.id),
        store: true,
      });
    }
  }
  for (const appearance of appearanceRows) {
    if (appearance.clip_key) {
      zip.append(await deps.storage.get(appearance.clip_key), {
        name: zipPaths.clip(appearance.id),
        store: true,
      });
    }
  }
  void zip.finalize();
  return out;
}

/** The search's results as a JSON, CSV or ZIP download; each export is audited. */
export async function exportSearch(
  deps: SearchExportDeps,
  actor: Actor,
  searchId: string,
  format: ExportFormat,
): Promise<ExportFile> {
  const results = await collectResults(deps, actor.userId, searchId);
  await recordAudit(deps.db, {
    userId: actor.userId,
    action: 'search.export',
    targetType: 'search',
    targetId: searchId,
    description: `Exported the results of a search as ${format.toUpperCase()}`,
    ip: actor.ip,
  });
  const base = `search-${searchId.slice(0, 8)}`;
  switch (format) {
    case 'json':
      return {
        fileName: `${base}.json`,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify(results, null, 2),
      };
    case 'csv':
      return {
        fileName: `${base}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: resultsCsv(results),
      };
    case 'zip':
      return {
        fileName: `${base}.zip`,
        contentType: 'application/zip',
        body: await zipStream(deps, searchId, results),
      };
  }
}

import type { DetectionDto, SearchDetail, SearchSummary } from './search.schema.js';
import type { AppearanceDto } from '../contracts/search.contract.js';

/** Everything a report holds: the search, its summary and every appearance with its detections. */
export interface SearchResults {
  generatedAt: string;
  search: SearchDetail;
  summary: SearchSummary;
  appearances: (AppearanceDto & { detections: DetectionDto[] })[];
}

export function formatTimecode(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const milli = total % 1000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(milli, 3)}`;
}

const escapeHtml = (value: string): string =>
  value.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

interface ReportPaths {
  frame(detectionId: string): string;
  face(detectionId: string): string;
  clip(appearanceId: string): string;
}

const percent = (score: number) => `${Math.round(score * 100)}%`;

/**
 * A self-contained report for the ZIP export: who was searched for, in which footage, and each
 * appearance with its time range, best face, annotated frame and clip (relative links into the ZIP).
 */
export function renderReportHtml(results: SearchResults, paths: ReportPaths): string {
  const { search, summary } = results;
  const person = `${search.missingPerson.firstName} ${search.missingPerson.lastName}`;
  const videoRows = summary.videos
    .map((video) => {
      const appearances = video.appearances
        .map((appearance) => {
          const bestId = appearance.bestDetectionId ?? '';
          return `<tr>
  <td>${formatTimecode(appearance.startMs)} – ${formatTimecode(appearance.endMs)}</td>
  <td>${percent(appearance.bestScore)}</td>
  <td>${appearance.detectionCount}</td>
  <td><a href="${paths.face(bestId)}"><img src="${paths.face(bestId)}" alt="face" height="96"></a></td>
  <td><a href="${paths.frame(bestId)}"><img src="${paths.frame(bestId)}" alt="frame" height="96"></a></td>
  <td>${appearance.clipUrl ? `<a href="${paths.clip(appearance.id)}">clip</a>` : '—'}</td>
</tr>`;
        })
        .join('\n');
      return `<section>
<h2>${escapeHtml(video.title)}</h2>
<p>Analysis ${escapeHtml(video.status)}; ${video.appearanceCount} appearance(s).</p>
${
  video.appearanceCount > 0
    ? `<table><thead><tr><th>seen</th><th>best score</th><th>frames</th><th>face</th><th>frame</th><th>clip</th></tr></thead>
<tbody>
${appearances}
</tbody></table>`
    : ''
}
</section>`;
    })
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Search report: ${escapeHtml(person)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1a1a1a; }
table { border-collapse: collapse; margin-bottom: 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.4rem 0.6rem; text-align: left; vertical-align: middle; }
</style>
</head>
<body>
<h1>Search report: ${escapeHtml(person)}</h1>
<p>Search ${escapeHtml(search.id)}, ${escapeHtml(search.preset)} preset, threshold ${search.threshold},
status ${escapeHtml(search.status)}. Generated ${escapeHtml(results.generatedAt)}.</p>
<p><strong>${summary.found ? `Found in ${summary.appearanceCount} appearance(s).` : 'Not found in the footage searched.'}</strong></p>
${videoRows}
</body>
</html>
`;
}

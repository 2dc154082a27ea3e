/** 83_500 → "1:23.5"; long videos get hours: "1:02:03". */
export function formatVideoTime(ms: number, withTenths = false): string {
  const totalSeconds = Math.max(0, ms) / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const secondsText = withTenths
    ? seconds.toFixed(1).padStart(4, '0')
    : Math.floor(seconds).toString().padStart(2, '0');
  return hours > 0
    ? `${hours}:${minutes.toString().padStart(2, '0')}:${secondsText}`
    : `${minutes}:${secondsText}`;
}

/** An amount of footage in words: "33 s", "12 min", "2.5 h" (never "0.0 h"). */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}

/** "1 match", "3 matches". */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** A remaining duration in words: "about 3 min", "12 s". */
export function formatRemaining(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  return `about ${(minutes / 60).toFixed(1)} h left`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A score as the person reads it: a whole percentage. */
const scorePercent = (score: number) => Math.round(score * 100);

export function formatScore(score: number): string {
  return `${scorePercent(score)}%`;
}

/**
 * Whether a score passes a "at least" filter, compared as shown (whole percentages): a match
 * labelled 100 % stays when the filter is set to 100 %.
 */
export const scoreAtLeast = (score: number, minimum: number) =>
  scorePercent(score) >= scorePercent(minimum);

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? '—'
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The colour that tells a strong match from a weak one at a glance. */
export function scoreColor(score: number): string {
  if (score >= 0.8) return 'green';
  if (score >= 0.6) return 'yellow';
  return 'orange';
}

import { runMediaProcess } from './media.process.js';
import { AppError } from '../shared/app-error.js';
import { redactCredentials } from '../shared/redact.js';
import { openLiveInput, type LiveFeedAccess, type LiveInput } from './live.input.js';

/** What a connection test found on a live feed. */
export interface LiveFeedInfo {
  codec: string;
  width: number;
  height: number;
  /** Frames per second the stream announces; null when it announces none (some MJPEG cameras). */
  fps: number | null;
}

export type LiveProbeErrorCode = 'UNREACHABLE' | 'AUTH_REQUIRED' | 'UNSUPPORTED_STREAM' | 'TIMEOUT';

const rules: [RegExp, LiveProbeErrorCode, string][] = [
  [/\b(401|403)\b|unauthori[sz]ed|forbidden/i, 'AUTH_REQUIRED', 'The feed asks for credentials'],
  [
    /connection refused|no route to host|network is unreachable|failed to resolve|name or service not known|temporary failure in name resolution|host is down|connection reset|\b404\b|not found/i,
    'UNREACHABLE',
    'The feed cannot be reached',
  ],
  [/timed out|time-out/i, 'TIMEOUT', 'The feed did not answer in time'],
];

/**
 * Maps what ffprobe said about a failed connection to a stable error code. Some demuxers report
 * a socket timeout as "invalid data", so a failure that took the whole timeout is a TIMEOUT.
 */
function classifyProbeFailure(
  errorLines: string[],
  waitedOut = false,
): { code: LiveProbeErrorCode; message: string } {
  // URLs in the messages carry options such as `?timeout=…`; they must not match a rule.
  const text = errorLines.map((line) => line.replace(/\w+:\/\/\S+/g, '')).join('\n');
  // A connection dropped only after the whole wait (ffmpeg's socket timeout closing the egress
  // proxy's connection reads as a reset) is a server that never answered, not one out of reach.
  const candidates = waitedOut ? rules.filter(([, code]) => code !== 'UNREACHABLE') : rules;
  for (const [pattern, code, message] of candidates) {
    if (pattern.test(text)) return { code, message };
  }
  if (waitedOut) return { code: 'TIMEOUT', message: 'The feed did not answer in time' };
  return {
    code: 'UNSUPPORTED_STREAM',
    message: 'The URL does not serve a video stream ffmpeg can read',
  };
}

const INPUT_VIDEO = /Stream #0:\d+.*?: Video: (\w+).*?, (\d{2,5})x(\d{2,5})(?:.*?, ([\d.]+) fps)?/;

/**
 * Connects to a live feed and decodes one frame with the same ffmpeg that will analyse and relay
 * it, so a feed that passes the test is one the product can read. (The bundled static ffprobe
 * crashes on some HTTP streams, which is another reason not to use it here.) Socket timeouts make
 * ffmpeg give up on a silent server; a hard timer kills it if it still hangs (a slow trickle of
 * bytes defeats socket timeouts). Throws `AppError` URL_NOT_ALLOWED (before connecting, or
 * when the feed redirects where the policy refuses), UNREACHABLE, AUTH_REQUIRED,
 * UNSUPPORTED_STREAM or TIMEOUT.
 */
export async function probeLiveFeed(
  access: LiveFeedAccess,
  url: string,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<LiveFeedInfo> {
  const input = await openLiveInput(access, url, options.timeoutMs);
  try {
    return await probeInput(access, input, options);
  } finally {
    await input.close();
  }
}

async function probeInput(
  access: LiveFeedAccess,
  input: LiveInput,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<LiveFeedInfo> {
  const timer = AbortSignal.timeout(options.timeoutMs + 1000);
  const signal = options.signal ? AbortSignal.any([options.signal, timer]) : timer;
  let found: LiveFeedInfo | undefined;
  const readStream = (line: string) => {
    const match = INPUT_VIDEO.exec(line);
    if (!match || found) return;
    const fps = Number(match[4]);
    found = {
      codec: match[1] ?? 'unknown',
      width: Number(match[2]),
      height: Number(match[3]),
      fps: Number.isFinite(fps) && fps > 0 ? fps : null,
    };
  };
  const args = [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'level+info',
    '-probesize',
    '1000000',
    '-analyzeduration',
    '1000000',
    ...input.args,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    '-f',
    'null',
    '-',
  ];
  const started = Date.now();
  let result;
  try {
    result = await runMediaProcess(access.binaries.ffmpegPath, args, {
      signal,
      onStderrLine: readStream,
      env: input.env,
      limits: input.limits,
    });
  } catch (error) {
    // An HLS demuxer keeps retrying a refused segment until the timer kills it.
    const refused = input.refusal();
    if (refused && !options.signal?.aborted) throw refused;
    if (timer.aborted && !options.signal?.aborted) {
      throw new AppError('TIMEOUT', `The feed did not answer within ${options.timeoutMs} ms`);
    }
    throw error;
  }
  if (result.status.code === 0 && found) return found;
  const refused = input.refusal();
  if (refused) throw refused;
  const networkError = input.networkError();
  const lines = [...result.errorLines, ...(networkError ? [networkError] : [])];
  if (lines.length === 0) lines.push('no video stream');
  const waitedOut = Date.now() - started >= options.timeoutMs * 0.9;
  const { code, message } = found
    ? {
        code: 'UNSUPPORTED_STREAM' as const,
        message: `The ${found.codec} picture cannot be decoded`,
      }
    : classifyProbeFailure(lines, waitedOut);
  const reason = lines.at(-1)?.trim();
  throw new AppError(code, message, { reason: reason && redactCredentials(reason) });
}

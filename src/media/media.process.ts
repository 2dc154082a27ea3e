import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { AppError } from '../shared/app-error.js';

/** How long ffmpeg gets to stop on SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 500;
/** Error lines kept for messages: enough to explain a failure, bounded for endless streams. */
const ERROR_LINES_KEPT = 20;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One running ffmpeg/ffprobe child. `exited` settles only once the process is gone and reaped,
 * so awaiting `stop()` or `exited` guarantees nothing is left running.
 */
export interface MediaProcess {
  readonly pid: number | undefined;
  readonly stdout: Readable;
  readonly exited: Promise<ExitStatus>;
  /** Lines ffmpeg logged at error level or worse (with `-loglevel level+…`), newest last. */
  errorLines(): string[];
  /** SIGTERM, then SIGKILL after a short grace; resolves when the process has exited. */
  stop(): Promise<void>;
}

export interface StartOptions {
  signal?: AbortSignal;
  /** Called with every stderr line, in order. */
  onStderrLine?: (line: string) => void;
  /** Variables added to the inherited environment (kept off the command line, which anyone can read). */
  env?: Record<string, string>;
}

const isErrorLine = (line: string) =>
  /\[(error|fatal|panic)\]/.test(line) || !/\[(info|warning|verbose|debug)\]/.test(line);

/** Spawns a media binary with stdout piped; it is stopped when `signal` aborts. */
export function startMediaProcess(
  binary: string,
  args: string[],
  options: StartOptions = {},
): MediaProcess {
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  const errors: string[] = [];
  let spawnError: Error | undefined;
  let done = false;

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => {
      spawnError = error;
      // A process that never started emits no 'close'.
      if (child.pid === undefined) {
        done = true;
        resolve({ code: null, signal: null });
      }
    });
    child.once('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });

  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (partial + text).split(/\r?\n|\r/);
    partial = lines.pop() ?? '';
    for (const line of lines) handleLine(line);
  });
  child.stderr.once('end', () => {
    if (partial) handleLine(partial);
    partial = '';
  });
  function handleLine(line: string) {
    if (!line.trim()) return;
    if (isErrorLine(line)) {
      errors.push(line.replace(/\[(error|fatal|panic)\] /, ''));
      if (errors.length > ERROR_LINES_KEPT) errors.shift();
    }
    options.onStderrLine?.(line);
  }

  async function stop(): Promise<void> {
    if (done) return;
    // Closing our end unblocks an ffmpeg stuck writing to a pipe nobody reads any more.
    child.stdout.destroy();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  const onAbort = () => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => options.signal?.removeEventListener('abort', onAbort));
  if (options.signal?.aborted) onAbort();

  return {
    pid: child.pid,
    stdout: child.stdout,
    exited: exited.then((status) => {
      if (spawnError && child.pid === undefined) {
        throw new AppError('UNAVAILABLE', `Cannot run ${binary}: ${spawnError.message}`);
      }
      return status;
    }),
    errorLines: () => [...errors],
    stop,
  };
}

export interface RunResult {
  stdout: Buffer;
  status: ExitStatus;
  errorLines: string[];
}

/**
 * Runs a media binary to completion and collects its stdout. Rejects with the abort reason when
 * `signal` aborts (after the process is gone); a non-zero exit is returned for the caller to judge.
 */
export async function runMediaProcess(
  binary: string,
  args: string[],
  options: StartOptions = {},
): Promise<RunResult> {
  options.signal?.throwIfAborted();
  const proc = startMediaProcess(binary, args, options);
  const chunks: Buffer[] = [];
  proc.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  try {
    const status = await proc.exited;
    options.signal?.throwIfAborted();
    return { stdout: Buffer.concat(chunks), status, errorLines: proc.errorLines() };
  } finally {
    await proc.stop();
  }
}

/** The last meaningful line ffmpeg logged, for error messages. */
export function lastErrorLine(lines: string[]): string {
  return lines.at(-1)?.trim() ?? 'no error output';
}

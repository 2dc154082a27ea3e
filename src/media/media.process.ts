import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { loopbackFileEnv } from '../shared/loopback-file.js';
import { AppError } from '../shared/app-error.js';
import type { MediaLimits } from './media.binaries.js';

/** How long ffmpeg gets to stop on SIGTERM before it is killed outright. */
const KILL_GRACE_MS = 500;
/** Error lines kept for messages: enough to explain a failure, bounded for endless streams. */
const ERROR_LINES_KEPT = 20;

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the child was stopped for running past its `limits`. */
  exceeded?: 'wall-clock' | 'cpu-time';
}

/** Bounds of one child; each is off when unset. */
export interface ProcessLimits {
  /** Stopped (SIGTERM, then SIGKILL) after this long. */
  timeoutMs?: number;
  /** Killed by the kernel after this much CPU time, all threads counted. */
  cpuSeconds?: number;
  addressSpaceBytes?: number;
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
  limits?: ProcessLimits;
}

/** The shell's exit code when it cannot run the binary it was told to `exec`. */
const COMMAND_NOT_FOUND = 127;

/**
 * The command that runs `binary` under the CPU-time and address-space limits: POSIX `ulimit` in a
 * shell that then `exec`s the binary (same pid). The limits equal soft and hard, so exceeding the
 * CPU time is a SIGKILL (ffmpeg would catch SIGXCPU and exit like on any error).
 */
function limitedCommand(binary: string, args: string[], limits: ProcessLimits) {
  const ulimits = [
    limits.cpuSeconds === undefined ? '' : `ulimit -t ${Math.ceil(limits.cpuSeconds)} && `,
    limits.addressSpaceBytes === undefined
      ? ''
      : `ulimit -v ${Math.ceil(limits.addressSpaceBytes / 1024)} && `,
  ].join('');
  if (!ulimits || process.platform === 'win32') return { command: binary, args, wrapped: false };
  return {
    command: 'sh',
    args: ['-c', `${ulimits}exec "$0" "$@"`, binary, ...args],
    wrapped: true,
  };
}

const isErrorLine = (line: string) =>
  /\[(error|fatal|panic)\]/.test(line) || !/\[(info|warning|verbose|debug)\]/.test(line);

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** What is known of a child's life, shared by its exit watcher and whoever stops it. */
interface ChildLife {
  done: boolean;
  stopping: boolean;
  timedOut: boolean;
  spawnError?: Error;
}

/** Settles once the child is gone: how it ended, and whether for running past its limits. */
function watchExit(
  child: Child,
  wrapped: boolean,
  limits: ProcessLimits,
  life: ChildLife,
  errors: string[],
): Promise<ExitStatus> {
  return new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => {
      life.spawnError = error;
      // A process that never started emits no 'close'.
      if (child.pid === undefined) {
        life.done = true;
        resolve({ code: null, signal: null });
      }
    });
    child.once('close', (code, signal) => {
      life.done = true;
      if (wrapped && code === COMMAND_NOT_FOUND) {
        life.spawnError = new Error(errors.at(-1) ?? 'not found');
      }
      const killedByKernel =
        signal === 'SIGKILL' && !life.stopping && limits.cpuSeconds !== undefined;
      const exceeded = life.timedOut ? 'wall-clock' : killedByKernel ? 'cpu-time' : undefined;
      resolve({ code, signal, ...(exceeded ? { exceeded } : {}) });
    });
  });
}

/** Passes each line of a text stream (\n, \r\n or \r ended; the last one at its end) to `handle`. */
function forEachLine(stream: Readable, handle: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    const lines = (partial + text).split(/\r?\n|\r/);
    partial = lines.pop() ?? '';
    for (const line of lines) handle(line);
  });
  stream.once('end', () => {
    if (partial) handle(partial);
    partial = '';
  });
}

async function stopChild(
  child: Child,
  life: ChildLife,
  exited: Promise<ExitStatus>,
): Promise<void> {
  if (life.done) return;
  life.stopping = true;
  // Closing our end unblocks an ffmpeg stuck writing to a pipe nobody reads any more.
  child.stdout.destroy();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Stops the child once its wall-clock limit passes or `signal` aborts. */
function stopOnTimeoutOrAbort(
  stop: () => Promise<void>,
  exited: Promise<ExitStatus>,
  life: ChildLife,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
): void {
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          life.timedOut = true;
          void stop();
        }, timeoutMs);
  void exited.then(() => clearTimeout(timer));

  const onAbort = () => void stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  void exited.then(() => signal?.removeEventListener('abort', onAbort));
  if (signal?.aborted) onAbort();
}

/** Spawns a media binary with stdout piped; it is stopped when `signal` aborts. */
export function startMediaProcess(
  binary: string,
  args: string[],
  options: StartOptions = {},
): MediaProcess {
  const limits = options.limits ?? {};
  const run = limitedCommand(binary, args, limits);
  const env = { ...loopbackFileEnv(args), ...options.env };
  const child = spawn(run.command, run.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(Object.keys(env).length > 0 ? { env: { ...process.env, ...env } } : {}),
  });
  const errors: string[] = [];
  const life: ChildLife = { done: false, stopping: false, timedOut: false };
  const exited = watchExit(child, run.wrapped, limits, life, errors);
  forEachLine(child.stderr, (line) => {
    if (!line.trim()) return;
    if (isErrorLine(line)) {
      errors.push(line.replace(/\[(error|fatal|panic)\] /, ''));
      if (errors.length > ERROR_LINES_KEPT) errors.shift();
    }
    options.onStderrLine?.(line);
  });
  const stop = () => stopChild(child, life, exited);
  stopOnTimeoutOrAbort(stop, exited, life, limits.timeoutMs, options.signal);

  return {
    pid: child.pid,
    stdout: child.stdout,
    exited: exited.then((status) => {
      if (life.spawnError && (child.pid === undefined || run.wrapped)) {
        throw new AppError('UNAVAILABLE', `Cannot run ${binary}: ${life.spawnError.message}`);
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

/**
 * Why a child failed on a file: a limit it ran into (`MEDIA_LIMIT_EXCEEDED`, with the limit in
 * `details.limit`), else the file itself (`UNSUPPORTED_VIDEO` with ffmpeg's last error line).
 */
export function mediaFailure(status: ExitStatus, errorLines: string[], message: string): AppError {
  const outOfMemory = errorLines.some((line) => line.includes('Cannot allocate memory'));
  const limit = status.exceeded ?? (outOfMemory ? 'MEDIA_MEMORY_LIMIT_MB' : undefined);
  if (limit) {
    return new AppError(
      'MEDIA_LIMIT_EXCEEDED',
      'The file needs more time or memory than the server allows for it',
      { limit },
    );
  }
  return new AppError('UNSUPPORTED_VIDEO', message, { reason: lastErrorLine(errorLines) });
}

/** The limits of a child that reads a stored file, allowed `timeoutMs` of wall-clock time. */
export function fileWorkLimits(limits: MediaLimits, timeoutMs: number): ProcessLimits {
  return {
    timeoutMs,
    // Every thread's time counts, and a few threads besides the decoding ones (I/O, encoder lookahead).
    cpuSeconds: (timeoutMs / 1000) * (limits.threads + 2),
    addressSpaceBytes: limits.addressSpaceBytes,
  };
}

/** The wall-clock allowance of whole-file work on `durationMs` of footage. */
export const wholeFileTimeoutMs = (limits: MediaLimits, durationMs: number) =>
  limits.probeTimeoutMs + durationMs * limits.timeoutFactor;

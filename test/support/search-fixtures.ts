import { inflateRawSync } from 'node:zlib';
import WebSocket from 'ws';
import { startJobWorkers } from '../../src/job-handlers.js';
import { demoFace, ffmpeg } from './media-fixtures.js';
import type { TestApp } from './test-app.js';

/** Face boxes of the demo group photos (from the face engine), padded the way a portrait is. */
const PERSON_A = { sample: 1, x: 340, y: 258, width: 326, height: 432 };
const PERSON_B = { sample: 2, x: 838, y: 125, width: 280, height: 420 };

/** The person is on screen from 2 s to 5 s of the 8 s test footage; a stranger all along. */
export const SHOWN_FROM_MS = 2000;
export const SHOWN_TO_MS = 5000;
export const FOOTAGE_MS = 8000;

const crop = (p: typeof PERSON_A) => `crop=${p.width}:${p.height}:${p.x}:${p.y}`;

/** A portrait of person A cut from a demo photo: the case's reference photo. */
export async function referencePhoto(out: string): Promise<string> {
  await ffmpeg(['-i', demoFace(PERSON_A.sample), '-vf', crop(PERSON_A), '-frames:v', '1', out]);
  return out;
}

/**
 * 640×360, 8 s H.264: person A on the left from 2 s to 5 s, person B (a stranger) on the right
 * for the whole video, swaying from side to side so that every frame has something to look at
 * (a still picture is analysed in a blink, too fast for a test to pause it).
 */
export async function searchFootage(out: string, seconds = FOOTAGE_MS / 1000): Promise<string> {
  await ffmpeg([
    ...['-f', 'lavfi', '-i', `color=c=0x808890:size=640x360:rate=25:duration=${seconds}`],
    ...['-loop', '1', '-i', demoFace(PERSON_A.sample)],
    ...['-loop', '1', '-i', demoFace(PERSON_B.sample)],
    '-filter_complex',
    `[1:v]${crop(PERSON_A)},scale=-2:220,format=yuv420p[a];` +
      `[2:v]${crop(PERSON_B)},scale=-2:220,format=yuv420p[b];` +
      `[0:v][a]overlay=x=60:y=70:shortest=1:enable='between(t,${SHOWN_FROM_MS / 1000},${SHOWN_TO_MS / 1000})'[va];` +
      `[va][b]overlay=x='400+20*sin(2*PI*t/3)':y=70:shortest=1[out]`,
    ...['-map', '[out]', '-t', String(seconds)],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', out],
  ]);
  return out;
}

/** Every readable endpoint and file of a finished search with one appearance (for access tests). */
export function searchReadUrls(
  searchId: string,
  appearance: { id: string; frameUrl: string; faceUrl: string },
): string[] {
  const base = `/api/searches/${searchId}`;
  return [
    base,
    `${base}/videos`,
    `${base}/status`,
    `${base}/appearances`,
    `${base}/appearances/${appearance.id}`,
    `${base}/appearances/${appearance.id}/clip`,
    `${base}/detections`,
    `${base}/detections/summary`,
    `${base}/detections/frames`,
    `${base}/summary`,
    `${base}/live`,
    `${base}/alerts`,
    `${base}/export?format=json`,
    `${base}/export?format=csv`,
    `${base}/export?format=zip`,
    appearance.frameUrl,
    appearance.faceUrl,
  ];
}

/** A WebSocket that records every message, with a way to wait for one. */
export interface RecordingSocket {
  messages: { type: string; [key: string]: unknown }[];
  send(message: object): void;
  waitFor(
    predicate: (message: { type: string; [key: string]: unknown }) => boolean,
    timeoutMs?: number,
  ): Promise<{ type: string; [key: string]: unknown }>;
  close(): void;
  /** Settles when the server (or the test) closes the socket, with its close code. */
  closed: Promise<{ code: number; reason: string }>;
}

export async function openSocket(
  baseUrl: string,
  options: { token?: string; headers?: Record<string, string>; path?: string },
): Promise<RecordingSocket> {
  const url = new URL(options.path ?? '/api/ws', baseUrl.replace(/^http/, 'ws'));
  if (options.token) url.searchParams.set('token', options.token);
  const socket = new WebSocket(url, { headers: options.headers });
  const messages: RecordingSocket['messages'] = [];
  const waiters = new Set<() => void>();
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code: number, reason: Buffer) =>
      resolve({ code, reason: reason.toString('utf8') }),
    );
  });
  socket.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString('utf8')) as RecordingSocket['messages'][number]);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`upgrade refused: ${response.statusCode}`)),
    );
  });
  return {
    messages,
    send: (message) => socket.send(JSON.stringify(message)),
    waitFor(predicate, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching WebSocket message in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => socket.close(),
    closed,
  };
}

/** Starts the app's analysis workers (the embedded queue) with every registered handler. */
export async function startWorkers(t: TestApp): Promise<void> {
  await startJobWorkers(t.deps);
}

/** The entries of a ZIP file (stored or deflated), read from its central directory. */
export function unzipEntries(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let index = 0; index < count; index += 1) {
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart =
      localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    entries.set(name, method === 0 ? Buffer.from(data) : inflateRawSync(data));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

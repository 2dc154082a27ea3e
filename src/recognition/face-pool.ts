import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  DetectRequest,
  DetectResponse,
  WorkerInit,
  WorkerResponse,
} from './face-worker.protocol.js';

type Job = {
  request: DetectRequest;
  resolve: (response: DetectResponse) => void;
  reject: (error: Error) => void;
};

interface Slot {
  worker: Worker;
  busy: Job | null;
  dead: boolean;
}

const require = createRequire(import.meta.url);

function workerInit(): WorkerInit {
  const faceApiPackage = require.resolve('@vladmandic/face-api/package.json');
  const wasmEntry = require.resolve('@tensorflow/tfjs-backend-wasm');
  return {
    modelDir: path.join(path.dirname(faceApiPackage), 'model'),
    wasmDir: path.dirname(wasmEntry),
  };
}

/**
 * Sources run through tsx (dev, vitest) need its loader inside the worker too; Node 20 does not apply
 * `--import` hooks to workers reliably, so a small bootstrap registers tsx and then loads the worker.
 */
function spawnWorker(url: URL, init: WorkerInit): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: init });
  // The ESM entry of tsx's API (require.resolve picks the CommonJS one, which cannot register hooks).
  const tsxApi = pathToFileURL(
    path.join(path.dirname(require.resolve('tsx/esm/api')), 'index.mjs'),
  ).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: init });
}

/**
 * A fixed set of face-model worker threads. Requests queue FIFO and go to the first idle worker,
 * so a caller keeping `size` frames in flight keeps every core busy.
 */
export class FacePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private readonly ready: Promise<void>;

  constructor(readonly size: number) {
    const url = new URL(
      `./face.worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
      import.meta.url,
    );
    const init = workerInit();
    const starts: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = spawnWorker(url, init);
      const slot: Slot = { worker, busy: null, dead: false };
      this.slots.push(slot);
      starts.push(
        new Promise<void>((resolve, reject) => {
          worker.once('error', reject);
          worker.on('message', (message: WorkerResponse) => {
            if (message.id === -1) {
              worker.off('error', reject);
              worker.on('error', (error) => this.fail(slot, error));
              worker.on('exit', () => this.fail(slot, new Error('face worker exited')));
              resolve();
              return;
            }
            this.settle(slot, message);
          });
        }),
      );
    }
    this.ready = Promise.all(starts).then(() => undefined);
    // A failed start surfaces on the first run(); do not crash the process before that.
    this.ready.catch(() => undefined);
  }

  async run(request: Omit<DetectRequest, 'id'>): Promise<DetectResponse> {
    await this.ready;
    if (this.closed) throw new Error('face engine is closed');
    return new Promise<DetectResponse>((resolve, reject) => {
      this.queue.push({ request: { ...request, id: this.nextId++ }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('face engine is closed'));
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    if (this.slots.every((slot) => slot.dead)) {
      for (const job of this.queue.splice(0)) job.reject(new Error('every face worker has died'));
      return;
    }
    for (const slot of this.slots) {
      if (slot.busy || slot.dead) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.busy = job;
      slot.worker.postMessage(job.request, [job.request.data.buffer as ArrayBuffer]);
    }
  }

  private settle(slot: Slot, message: WorkerResponse): void {
    const job = slot.busy;
    slot.busy = null;
    if (job && message.id === job.request.id) {
      if (message.ok && 'faces' in message) job.resolve(message);
      else job.reject(new Error('ok' in message && !message.ok ? message.message : 'bad reply'));
    }
    this.dispatch();
  }

  private fail(slot: Slot, error: Error): void {
    const job = slot.busy;
    slot.busy = null;
    slot.dead = true;
    job?.reject(error);
    if (!this.closed) this.dispatch();
  }
}

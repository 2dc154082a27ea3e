import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  analyseFrames,
  emptyStats,
  type AnalyseFramesInput,
} from '../../src/recognition/analysis.js';
import { createFaceEngine, referenceFace } from '../../src/recognition/face-engine.js';
import { resolveSettings } from '../../src/recognition/presets.js';
import type {
  AnalysisCheckpoint,
  AnalysisEvent,
  Appearance,
  Box,
  FaceEngine,
  RgbFrame,
  ReferenceFace,
} from '../../src/recognition/recognition.types.js';
import { portrait, sceneFrame } from '../support/recognition.fixtures.js';

const FPS = 5;
const STEP = 1000 / FPS;
let engine: FaceEngine;
let scene: RgbFrame[];
let reference: ReferenceFace;
const settings = resolveSettings('balanced');

/** 7 s at 5 fps: the person walks across from 2 s to 5 s, a stranger stands still the whole time. */
beforeAll(async () => {
  engine = createFaceEngine({ workers: 2 });
  const person = await portrait(1, 0);
  const stranger = await portrait(6, 1);
  scene = [];
  for (let t = 0; t <= 7000; t += STEP) {
    const placements = [{ image: stranger, left: 900, top: 250, width: 260 }];
    if (t >= 2000 && t <= 5000) {
      placements.push({ image: person, left: 100 + (t - 2000) / 20, top: 200, width: 300 });
    }
    scene.push(await sceneFrame(t, placements));
  }
  const photo = await sharp(person)
    .resize({ width: 240 })
    .modulate({ brightness: 1.2 })
    .jpeg()
    .toBuffer();
  const enrolled = await engine.enrolPhoto(photo);
  if (!enrolled.ok) throw new Error(enrolled.code);
  reference = referenceFace(enrolled);
});
afterAll(async () => {
  await engine.close();
});

/** Fresh copies: the engine hands frame buffers to its workers. */
async function* frames(fromMs = -1, source = scene): AsyncGenerator<RgbFrame> {
  for (const frame of source) {
    // Like a decoder, hand frames out one at a time rather than all at once.
    await new Promise((resolve) => setImmediate(resolve));
    if (frame.timeMs > fromMs) yield { ...frame, data: frame.data.slice() };
  }
}

let uninterrupted: Promise<AnalysisEvent[]> | undefined;

/** Every event of a run over the scene (or what `input` says instead). */
async function runAll(input: Partial<AnalyseFramesInput> = {}): Promise<AnalysisEvent[]> {
  const events: AnalysisEvent[] = [];
  for await (const event of analyseFrames({
    frames: frames(),
    references: [reference],
    settings,
    engine,
    ...input,
  })) {
    events.push(event);
  }
  return events;
}

/** One uninterrupted run, shared by the tests that compare against it. */
function uninterruptedRun(): Promise<AnalysisEvent[]> {
  uninterrupted ??= runAll();
  return uninterrupted;
}

function finals(events: AnalysisEvent[]): Appearance[] {
  return events.flatMap((event) =>
    event.type === 'match' && event.final ? [event.appearance] : [],
  );
}

/** The events up to the first checkpoint at or after `atMs`, and that checkpoint, as stored. */
async function runUntilCheckpoint(atMs: number) {
  const events = await uninterruptedRun();
  const index = events.findIndex((event) => event.type === 'progress' && event.processedMs >= atMs);
  const event = events[index];
  if (event?.type !== 'progress') throw new Error(`no checkpoint at ${atMs} ms`);
  return {
    events: events.slice(0, index + 1),
    checkpoint: JSON.parse(JSON.stringify(event.checkpoint)) as AnalysisCheckpoint,
  };
}

describe('analyseFrames', () => {
  it('finds the person from 2 s to 5 s within one sampled frame, and not the stranger', async () => {
    const events = await uninterruptedRun();
    const found = finals(events);
    expect(found).toHaveLength(1);
    expect(Math.abs(found[0]!.startMs - 2000)).toBeLessThanOrEqual(STEP);
    expect(Math.abs(found[0]!.endMs - 5000)).toBeLessThanOrEqual(STEP);
    expect(found[0]!.best.box.x).toBeLessThan(700);
    expect(found[0]!.bestScore).toBeGreaterThan(settings.threshold);

    const firstMatch = events.find((event) => event.type === 'match');
    expect(firstMatch?.type === 'match' && firstMatch.final).toBe(false);
    expect(firstMatch?.type === 'match' && firstMatch.bestFrame?.width).toBe(1280);
    const last = events.at(-1);
    expect(last).toMatchObject({
      type: 'progress',
      processedMs: 7000,
      framesAnalysed: scene.length,
    });
  });

  it('gives the same appearances after resuming from a mid-way checkpoint as an uninterrupted run', async () => {
    const { events: firstHalf, checkpoint } = await runUntilCheckpoint(3400);
    const secondHalf: AnalysisEvent[] = [];
    for await (const event of analyseFrames({
      frames: frames(checkpoint.processedMs - 1000),
      references: [reference],
      settings,
      engine,
      resumeFrom: checkpoint,
    })) {
      secondHalf.push(event);
    }
    expect(finals([...firstHalf, ...secondHalf])).toEqual(finals(await uninterruptedRun()));
    expect(secondHalf.at(-1)).toMatchObject({ type: 'progress', framesAnalysed: scene.length });
  });

  it('resumes a checkpoint written before tracks were kept by key', async () => {
    const { checkpoint } = await runUntilCheckpoint(3400);
    const state = checkpoint.state as {
      history: { tracked: { box: unknown; settled: boolean }[] }[];
    };
    const olderState = {
      ...state,
      history: state.history.map((entry) => ({
        ...entry,
        tracked: entry.tracked.map((face) => face.box),
        settled: entry.tracked.filter((face) => face.settled).map((face) => face.box),
      })),
    };
    const resumed: AnalysisEvent[] = [];
    for await (const event of analyseFrames({
      frames: frames(checkpoint.processedMs - 1000),
      references: [reference],
      settings,
      engine,
      resumeFrom: { ...checkpoint, state: JSON.parse(JSON.stringify(olderState)) as unknown },
    })) {
      resumed.push(event);
    }
    const [appearance] = finals(resumed);
    expect(appearance?.endMs).toBeGreaterThanOrEqual(4800);
    expect(resumed.at(-1)).toMatchObject({ type: 'progress', framesAnalysed: scene.length });
  });

  it('follows a person standing still without looking for them again while nothing near them moves', async () => {
    // The stranger stands at (900, 250) all along; while the person walks by, the picture changes
    // elsewhere, and the stranger is looked for only when their description is due again.
    const strangerCentre = { x: 1030, y: 430 };
    const covers = (box: Box) =>
      box.x <= strangerCentre.x &&
      strangerCentre.x <= box.x + box.width &&
      box.y <= strangerCentre.y &&
      strangerCentre.y <= box.y + box.height;
    const lookedAtStranger: number[] = [];
    const counting: FaceEngine = {
      concurrency: engine.concurrency,
      modelName: engine.modelName,
      modelVersion: engine.modelVersion,
      enrolPhoto: (image, options) => engine.enrolPhoto(image, options),
      close: () => engine.close(),
      detectFaces: (frame, detection, options) => {
        if (options?.wholeFrame || options?.regions?.some((region) => covers(region.box)))
          lookedAtStranger.push(frame.timeMs);
        return engine.detectFaces(frame, detection, options);
      },
    };
    const events = await runAll({ engine: counting });
    expect(finals(events)).toEqual(finals(await uninterruptedRun()));
    const whileWalking = lookedAtStranger.filter((timeMs) => timeMs >= 2400 && timeMs <= 5000);
    // 14 frames from 2.4 s to 5 s: once for the redescription, once for a whole-frame search.
    expect(whileWalking.length).toBeLessThanOrEqual(4);
  });

  it('describes a stranger walking in twice, not once per request in flight', async () => {
    const stranger = await portrait(6, 1);
    const walkIn: RgbFrame[] = [];
    for (let t = 0; t <= 3000; t += STEP) {
      const placements =
        t >= 600 ? [{ image: stranger, left: 200 + (t - 600) / 10, top: 200, width: 260 }] : [];
      walkIn.push(await sceneFrame(t, placements));
    }
    const stats = emptyStats();
    const events = await runAll({ frames: frames(-1, walkIn), stats });
    expect(finals(events)).toEqual([]);
    // Three requests are in flight when the stranger appears. The first describes him; the next two
    // leave him to it, and one of them gets a second opinion on its turn (each used to describe him
    // again: 3).
    expect(stats.facesDescribed).toBeLessThanOrEqual(2);
    expect(stats.facesDescribed).toBeGreaterThanOrEqual(1);
  });

  it('reports a match on a live feed without waiting for later frames', async () => {
    // A camera whose next frame does not come: the frames already sent must still be answered.
    const controller = new AbortController();
    let release: (value: unknown) => void = () => undefined;
    async function* stalledFeed(): AsyncGenerator<RgbFrame> {
      for (const frame of scene.filter((f) => f.timeMs <= 3000)) {
        yield { ...frame, data: frame.data.slice() };
      }
      await new Promise((resolve) => {
        release = resolve;
        controller.signal.addEventListener('abort', resolve);
      });
    }
    const stalled = setTimeout(
      () => controller.abort(new Error('no match while the feed waited')),
      20_000,
    );
    try {
      const events: AnalysisEvent[] = [];
      for await (const event of analyseFrames({
        frames: stalledFeed(),
        references: [reference],
        settings,
        engine,
        signal: controller.signal,
      })) {
        events.push(event);
        // Every frame sent, the last one included, is answered while the feed waits.
        if (event.type !== 'progress' || event.processedMs < 3000) continue;
        expect(events.some((e) => e.type === 'match' && e.appearance.best.box.x < 700)).toBe(true);
        release(undefined);
        break;
      }
    } finally {
      clearTimeout(stalled);
    }
  });

  it('stops within a second of being aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    let stoppedAfter = 0;
    setTimeout(() => controller.abort(new Error('cancelled')), 300);
    await expect(async () => {
      try {
        for await (const event of analyseFrames({
          frames: frames(),
          references: [reference],
          settings,
          engine,
          signal: controller.signal,
        })) {
          void event;
        }
      } finally {
        stoppedAfter = Date.now() - started;
      }
    }).rejects.toThrow('cancelled');
    expect(stoppedAfter).toBeLessThan(1300);
    expect(stoppedAfter).toBeGreaterThanOrEqual(300);
  });
});

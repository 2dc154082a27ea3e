/** The pure parts of reading a live feed: ffmpeg's log, its raw frames, the newest-frame slot. */

export interface Size {
  width: number;
  height: number;
}

const STREAM_SIZE = /Stream #\d+:\d+.*?: Video: .*?(\d{2,5})x(\d{2,5})/;
const INPUT_CODEC = /Stream #0:\d+.*?: Video: (\w+)/;

/** What ffmpeg's log says about one run: the input's codec and size, the frames' size. */
export function streamInfoReader(onCodec: (codec: string) => void) {
  let sourceSize: Size | undefined;
  let outputSize: Size | undefined;
  let sawOutput = false;
  let sizeKnown: (() => void) | undefined;
  const sizeReady = new Promise<void>((resolve) => (sizeKnown = resolve));
  return {
    sizeReady,
    source: () => sourceSize,
    output: () => outputSize,
    /** No size is coming (ffmpeg exited): let a waiting reader go on. */
    giveUp: () => sizeKnown?.(),
    readLine: (line: string) => {
      if (line.includes('Output #0')) sawOutput = true;
      const codec = sawOutput ? undefined : INPUT_CODEC.exec(line)?.[1];
      if (codec) onCodec(codec);
      const match = STREAM_SIZE.exec(line);
      if (!match) return;
      const size = { width: Number(match[1]), height: Number(match[2]) };
      if (!sawOutput) sourceSize ??= size;
      else if (!outputSize) {
        outputSize = size;
        sizeKnown?.();
      }
    },
  };
}

/** Cuts ffmpeg's stdout into whole frames of `size`. */
export function frameSplitter(onFrame: (data: Uint8Array) => void) {
  let buffer: Uint8Array | undefined;
  let filled = 0;
  return (chunk: Buffer, size: Size) => {
    const frameBytes = size.width * size.height * 3;
    let offset = 0;
    while (offset < chunk.length) {
      buffer ??= new Uint8Array(frameBytes);
      const take = Math.min(frameBytes - filled, chunk.length - offset);
      buffer.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled < frameBytes) continue;
      onFrame(buffer);
      buffer = undefined;
      filled = 0;
    }
  };
}

/** The newest item waiting for the consumer; a newer one replaces it (`onDrop` counts that). */
export function newestSlot<T>(onDrop: () => void) {
  let newest: T | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  return {
    offer(item: T) {
      if (newest !== undefined) onDrop();
      newest = item;
      notify();
    },
    take(): T | undefined {
      const frame = newest;
      newest = undefined;
      return frame;
    },
    notify,
    wait: () => new Promise<void>((resolve) => (wake = resolve)),
  };
}

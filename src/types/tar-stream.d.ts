// tar-stream 3 ships no types: the little of its API the backup archive uses.
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?: 'file' | 'directory';
  }

  export interface Pack extends Readable {
    entry(headers: Headers, callback?: (error?: Error | null) => void): Writable;
    entry(headers: Headers, buffer: Buffer, callback?: (error?: Error | null) => void): Writable;
    finalize(): void;
  }

  export interface Entry extends Readable {
    header: Headers & { size: number };
  }

  export interface Extract extends Writable, AsyncIterable<Entry> {}

  export function pack(): Pack;
  export function extract(): Extract;
}

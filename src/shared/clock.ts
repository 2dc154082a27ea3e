import { randomUUID } from 'node:crypto';

/** The current time as stored in every table: an ISO-8601 UTC string. */
export const nowIso = (): string => new Date().toISOString();

export const isoAfter = (ms: number, from = Date.now()): string =>
  new Date(from + ms).toISOString();

export const newId = (): string => randomUUID();

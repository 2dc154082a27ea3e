import { randomUUID } from 'node:crypto';

/** The current time as stored in every table: an ISO-8601 UTC string. */
export const nowIso = (): string => new Date().toISOString();

export const isoAfter = (ms: number, from = Date.now()): string =>
  new Date(from + ms).toISOString();

export const newId = (): string => randomUUID();

/** `from` moved back by `days` days. */
export const daysBefore = (from: Date, days: number): Date =>
  new Date(from.getTime() - days * 86_400_000);

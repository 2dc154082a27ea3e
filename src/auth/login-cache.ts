import type { AuthUser } from './auth.guard.js';

/** Logins kept at most; the oldest go first (a flood of distinct logins cannot grow memory). */
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * Logins (sessions or tokens) that were found live a moment ago, keyed by the hash of their
 * cookie or token, so a page firing a dozen requests reads the session once. Only live logins are
 * kept: an unknown, expired or revoked credential is looked up in the database every time. Entries
 * of a user are dropped the moment any of their logins ends or their account changes (see
 * `auth.revocation.ts`), in this process at once and in others through the event bus; a missed
 * event leaves a login usable for at most LOGIN_CACHE_SECONDS.
 */
export class LoginCache<T extends { user: AuthUser }> {
  private readonly entries = new Map<string, Entry<T>>();
  private forgotten = 0;

  /** `ttlMs` (LOGIN_CACHE_SECONDS): how long a login is reused; 0 keeps nothing. */
  constructor(private readonly ttlMs: number) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now < entry.until) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Take it before reading a login from the database, and hand it to `set`. */
  get generation(): number {
    return this.forgotten;
  }

  /**
   * Keeps a login found live, unless a user was forgotten since `generation` was taken: a read
   * that started before a logout committed must not bring the ended login back.
   */
  set(key: string, value: T, now: number, generation: number): void {
    if (generation !== this.forgotten || this.ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: now + this.ttlMs });
  }

  /** Changes a kept login in place (a touch), keeping its expiry. */
  update(key: string, change: (value: T) => T): void {
    const entry = this.entries.get(key);
    if (entry) entry.value = change(entry.value);
  }

  forgetUser(userId: string): void {
    this.forgotten += 1;
    for (const [key, entry] of this.entries) {
      if (entry.value.user.id === userId) this.entries.delete(key);
    }
  }

  clear(): void {
    this.forgotten += 1;
    this.entries.clear();
  }
}

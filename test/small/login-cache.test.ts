import { describe, expect, it } from 'vitest';
import { LoginCache } from '../../src/auth/login-cache.js';

const login = (userId: string) => ({
  user: {
    id: userId,
    username: userId,
    email: `${userId}@example.com`,
    role: 'investigator' as const,
  },
});

describe('login cache', () => {
  it('gives back a login until its time is up, then reads again', () => {
    const cache = new LoginCache<ReturnType<typeof login>>(2_000);
    cache.set('hash-a', login('ada'), 1_000, cache.generation);
    expect(cache.get('hash-a', 2_999)?.user.id).toBe('ada');
    expect(cache.get('hash-a', 3_000)).toBeUndefined();
  });

  it('forgets every login of a user at once, and only theirs', () => {
    const cache = new LoginCache<ReturnType<typeof login>>(2_000);
    cache.set('hash-a', login('ada'), 0, cache.generation);
    cache.set('hash-b', login('ada'), 0, cache.generation);
    cache.set('hash-c', login('bob'), 0, cache.generation);
    cache.forgetUser('ada');
    expect(cache.get('hash-a', 1)).toBeUndefined();
    expect(cache.get('hash-b', 1)).toBeUndefined();
    expect(cache.get('hash-c', 1)?.user.id).toBe('bob');
  });

  it('does not keep a login read before a logout that ended while the read was in flight', () => {
    const cache = new LoginCache<ReturnType<typeof login>>(2_000);
    const generation = cache.generation;
    cache.forgetUser('ada');
    cache.set('hash-a', login('ada'), 0, generation);
    expect(cache.get('hash-a', 1)).toBeUndefined();
  });

  it('changes a kept login in place, as a touch does', () => {
    const cache = new LoginCache<ReturnType<typeof login> & { seen: number }>(2_000);
    cache.set('hash-a', { ...login('ada'), seen: 1 }, 0, cache.generation);
    cache.update('hash-a', (kept) => ({ ...kept, seen: 2 }));
    expect(cache.get('hash-a', 1)?.seen).toBe(2);
  });
});

import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth.guard.js';
import { isAdmin } from '../auth/role.policy.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { AppError } from '../shared/app-error.js';
import {
  countActiveSearches,
  liveFeedsAmong,
  searchVideoIds,
  watchedLiveFeeds,
} from './search-quota.repository.js';
import type { CreateSearchInput } from './search.schema.js';

/** The limits are configured; what a user runs is counted in the database. */
export interface SearchQuotaDeps {
  db: Db;
  config: Config;
}

/*
 * Each user's share of a server that several people use: at most MAX_ACTIVE_SEARCHES_PER_USER
 * queued or running searches and MAX_LIVE_FEEDS_PER_USER live feeds watched at once, and the
 * `high` queue priority for admins only, so one person's work cannot hold up everyone else's.
 * Checked before a search starts or resumes; two requests at the same instant may both pass.
 */

function limitReached(message: string, details: { limit: number; active: number }) {
  return new AppError('LIMIT_REACHED', message, details);
}

/** Refuses starting (or resuming) a search over `videoIds` when it would pass a user limit. */
export async function assertSearchQuota(
  deps: SearchQuotaDeps,
  user: AuthUser,
  videoIds: string[],
): Promise<void> {
  const { MAX_ACTIVE_SEARCHES_PER_USER: maxSearches, MAX_LIVE_FEEDS_PER_USER: maxFeeds } =
    deps.config;
  const active = await countActiveSearches(deps.db, user.id);
  if (active >= maxSearches) {
    throw limitReached(
      `You have ${active} searches queued or running, the most allowed at once: wait for one ` +
        'to finish, or pause or cancel one',
      { limit: maxSearches, active },
    );
  }
  const watched = new Set(await watchedLiveFeeds(deps.db, user.id));
  const added = (await liveFeedsAmong(deps.db, videoIds)).filter((id) => !watched.has(id));
  if (added.length > 0 && watched.size + added.length > maxFeeds) {
    throw limitReached(
      `You may watch ${maxFeeds} live feeds at once and already watch ${watched.size}: stop a ` +
        'live search first',
      { limit: maxFeeds, active: watched.size },
    );
  }
}

/** `preHandler` of POST /searches (after validation, so the body is parsed). */
export function startSearchQuota(deps: SearchQuotaDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const input = request.body as CreateSearchInput;
    if (input.priority === 'high' && !isAdmin(request.user)) {
      throw new AppError('PRIORITY_RESERVED', 'Only an administrator can queue a search as high');
    }
    await assertSearchQuota(deps, request.user, input.videoIds);
  };
}

/** `preHandler` of PUT /searches/:id/resume. */
export function resumeSearchQuota(deps: SearchQuotaDeps) {
  return async (request: FastifyRequest): Promise<void> => {
    const { id } = request.params as { id: string };
    await assertSearchQuota(deps, request.user, await searchVideoIds(deps.db, request.user.id, id));
  };
}

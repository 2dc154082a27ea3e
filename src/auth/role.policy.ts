import type { FastifyRequest } from 'fastify';
import { AppError } from '../shared/app-error.js';
import type { AuthUser } from './auth.guard.js';
import type { UserRole } from '../db/tables/auth.table.js';

/** Roles that open cases, bring footage and start searches: everyone but a viewer. */
const CONTRIBUTORS: readonly UserRole[] = ['admin', 'investigator'];

export function isAdmin(user: Pick<AuthUser, 'role'>): boolean {
  return user.role === 'admin';
}

export function assertAdmin(user: Pick<AuthUser, 'role'>): void {
  if (!isAdmin(user)) throw new AppError('FORBIDDEN', 'Only an administrator can do this');
}

/** Viewers read what is shared with them; they do not add cases, footage or searches. */
export function assertContributor(user: Pick<AuthUser, 'role'>): void {
  if (!CONTRIBUTORS.includes(user.role)) {
    throw new AppError('FORBIDDEN', 'Viewers can read shared cases but not add to them');
  }
}

/** Route `preHandler`s, placed after `requireUser` (which sets `request.user`). */
export function adminOnly(request: FastifyRequest): Promise<void> {
  assertAdmin(request.user);
  return Promise.resolve();
}

export function contributorsOnly(request: FastifyRequest): Promise<void> {
  assertContributor(request.user);
  return Promise.resolve();
}

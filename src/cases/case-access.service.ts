import { AppError, notFound } from '../shared/app-error.js';
import type { CaseRole } from '../db/tables/case-member.table.js';

/** What a request does with a case: read it, change it (and its photos, searches), or manage it. */
export type CaseAccess = 'read' | 'edit' | 'manage';

const allowed: Record<CaseAccess, readonly CaseRole[]> = {
  read: ['owner', 'editor', 'viewer'],
  edit: ['owner', 'editor'],
  manage: ['owner'],
};

/** True when `role` may do `access`. */
export const roleAllows = (role: CaseRole, access: CaseAccess): boolean =>
  allowed[access].includes(role);

/**
 * Throws unless `role` (the caller's role in a case, undefined for a non-member) may do `access`:
 * NOT_FOUND for a non-member, so a case's existence is not told, and FORBIDDEN for a member whose
 * role is too weak. `what` names the resource in the NOT_FOUND message.
 */
export function checkCaseRole(
  role: CaseRole | undefined,
  access: CaseAccess,
  what = 'Missing person',
): CaseRole {
  if (!role) throw notFound(what);
  if (!roleAllows(role, access)) {
    throw new AppError(
      'FORBIDDEN',
      access === 'manage'
        ? 'Only the owner of the case may do this'
        : 'You can read this case but not change it',
      { role },
    );
  }
  return role;
}

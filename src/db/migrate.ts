import {
  Migrator,
  NO_MIGRATIONS,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import type { Db } from './database.js';
import * as initial from './migrations/0001-initial.js';
import * as loginTokenSession from './migrations/0002-login-token-session.js';
import * as liveFeeds from './migrations/0003-live-feeds.js';
import * as videoChecksumUnique from './migrations/0004-video-checksum-unique.js';
import * as sessionsAndTokens from './migrations/0005-sessions-and-tokens.js';
import * as rolesInvitations from './migrations/0006-roles-invitations.js';
import * as caseMembers from './migrations/0007-case-members.js';
import * as invitationCase from './migrations/0008-invitation-case.js';
import * as dataKeys from './migrations/0009-data-keys.js';
import * as caseRetention from './migrations/0010-case-retention.js';
import * as auditPseudonym from './migrations/0013-audit-pseudonym.js';
import * as backups from './migrations/0014-backups.js';

/** Migrations are listed in code (not read from a folder) so they ship inside any bundle. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-login-token-session': loginTokenSession,
  '0003-live-feeds': liveFeeds,
  '0004-video-checksum-unique': videoChecksumUnique,
  '0005-sessions-and-tokens': sessionsAndTokens,
  '0006-roles-invitations': rolesInvitations,
  '0007-case-members': caseMembers,
  '0008-invitation-case': invitationCase,
  '0009-data-keys': dataKeys,
  '0010-case-retention': caseRetention,
  '0013-audit-pseudonym': auditPseudonym,
  '0014-backups': backups,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** The migrator over the listed migrations, for tests that step up or down one at a time. */
export const migratorFor = (db: Db): Migrator => new Migrator({ db, provider });

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return applied(await migratorFor(db).migrateToLatest());
}

/** Applies the next pending migration only; returns its name (none when up to date). */
export async function migrateUpOne(db: Db): Promise<string[]> {
  return applied(await migratorFor(db).migrateUp());
}

/**
 * Reverts the last applied migration, or — with `to` — every migration applied after the one
 * named (`to: 'none'` reverts them all). Returns the names reverted, newest first.
 */
export async function migrateDown(db: Db, to?: string): Promise<string[]> {
  const migrator = migratorFor(db);
  if (to === undefined) return applied(await migrator.migrateDown());
  if (to !== 'none' && !(to in migrations)) throw new Error(`No migration named ${to}`);
  return applied(await migrator.migrateTo(to === 'none' ? NO_MIGRATIONS : to));
}

export interface MigrationState {
  name: string;
  /** When it was applied; absent while it is pending. */
  executedAt?: Date;
}

/** Every migration the code knows, oldest first, with when each was applied. */
export async function migrationStatus(db: Db): Promise<MigrationState[]> {
  const all = await migratorFor(db).getMigrations();
  return all.map((m) => ({ name: m.name, executedAt: m.executedAt }));
}

function applied({ error, results = [] }: MigrationResultSet): string[] {
  if (error instanceof Error) throw error;
  if (error) throw new Error(`Migration failed: ${JSON.stringify(error)}`);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as initial from './migrations/0001-initial.js';
import * as loginTokenSession from './migrations/0002-login-token-session.js';
import * as liveFeeds from './migrations/0003-live-feeds.js';
import * as videoChecksumUnique from './migrations/0004-video-checksum-unique.js';
import * as caseMembers from './migrations/0007-case-members.js';

/** Migrations are listed in code (not read from a folder) so they ship inside any bundle. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-login-token-session': loginTokenSession,
  '0003-live-feeds': liveFeeds,
  '0004-video-checksum-unique': videoChecksumUnique,
  '0007-case-members': caseMembers,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };

/** The migrator of this app's migrations, e.g. to step down one in a test. */
export const createMigrator = (db: Db) => new Migrator({ db, provider });

/** Applies every pending migration; returns the names applied. Throws on the first failure. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = createMigrator(db);
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error instanceof Error) throw error;
  if (error) throw new Error(`Migration failed: ${JSON.stringify(error)}`);
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

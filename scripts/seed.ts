/*
 * Demo data for a fresh install: one account and three missing-person cases. Idempotent: rows are
 * looked up by username and by fixed ids, so running it again changes nothing.
 */
import { recordAudit } from '../src/audit/audit.service.js';
import { insertAccount, type NewAccount } from '../src/auth/account.service.js';
import { hashPassword } from '../src/auth/password.hashing.js';
import { assertStrongPassword } from '../src/auth/password.policy.js';
import { findUserByUsername } from '../src/auth/user.repository.js';
import type { NewMissingPerson } from '../src/db/tables/case.table.js';
import { sealCaseColumns } from '../src/cases/case.sealing.js';
import { loadConfig, sqlitePath } from '../src/config.js';
import type { FieldCipher } from '../src/crypto/field-cipher.js';
import type { Db } from '../src/db/database.js';
import { createDatabase } from '../src/db/database.js';
import { createFieldEncryption } from '../src/crypto/field-encryption.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { newId, nowIso } from '../src/shared/clock.js';

const DEMO_USER = {
  username: 'demo',
  email: 'demo@example.com',
  password: 'person-finder-2024',
  displayName: 'Demo User',
};

type DemoCase = Omit<NewMissingPerson, 'owner_id' | 'created_at' | 'updated_at'>;

const DEMO_CASES: DemoCase[] = [
  {
    id: '5e3d0c8a-1f2b-4c6d-9e10-000000000001',
    first_name: 'Anna',
    last_name: 'Keller',
    age: 34,
    gender: 'female',
    height_cm: 168,
    weight_kg: 60,
    last_seen_location: 'Central Station, north entrance',
    last_seen_at: '2026-04-28T17:45:00.000Z',
    notes: 'Red raincoat, dark backpack. Wears glasses.',
    status: 'missing',
  },
  {
    id: '5e3d0c8a-1f2b-4c6d-9e10-000000000002',
    first_name: 'Tomas',
    last_name: 'Varga',
    age: 71,
    gender: 'male',
    height_cm: 175,
    weight_kg: 72,
    last_seen_location: 'Riverside Park, near the footbridge',
    last_seen_at: '2026-05-02T08:10:00.000Z',
    notes: 'Early-stage dementia; may seem confused. Grey cap, walking stick.',
    status: 'missing',
  },
  {
    id: '5e3d0c8a-1f2b-4c6d-9e10-000000000003',
    first_name: 'Lea',
    last_name: 'Moreau',
    age: 16,
    gender: 'female',
    height_cm: 160,
    weight_kg: null,
    last_seen_location: 'Bus line 12, Market Square stop',
    last_seen_at: '2026-03-15T15:30:00.000Z',
    notes: 'Found safe on 2026-03-17; kept as an example of a closed case.',
    status: 'found',
  },
];

async function ensureDemoUser(db: Db): Promise<{ id: string; created: boolean }> {
  const existing = await findUserByUsername(db, DEMO_USER.username);
  if (existing) return { id: existing.id, created: false };
  assertStrongPassword(DEMO_USER.password, DEMO_USER.username);
  const now = nowIso();
  const user: NewAccount = {
    id: newId(),
    username: DEMO_USER.username,
    email: DEMO_USER.email,
    password_hash: await hashPassword(DEMO_USER.password),
    display_name: DEMO_USER.displayName,
    email_verified_at: null,
    created_at: now,
    updated_at: now,
  };
  // On a fresh install the demo account is the first one, so it is the admin.
  await db.transaction().execute(async (trx) => {
    const { role } = await insertAccount(trx, user, 'investigator');
    await recordAudit(trx, {
      userId: user.id,
      action: 'auth.register',
      description: `Created by npm run seed as ${role}`,
    });
  });
  return { id: user.id, created: true };
}

async function ensureDemoCases(
  { db, fields }: { db: Db; fields: FieldCipher },
  ownerId: string,
): Promise<number> {
  const present = new Set(
    (
      await db
        .selectFrom('missing_persons')
        .select('id')
        .where(
          'id',
          'in',
          DEMO_CASES.map((c) => c.id),
        )
        .execute()
    ).map((row) => row.id),
  );
  const missing = DEMO_CASES.filter((demo) => !present.has(demo.id));
  if (missing.length === 0) return 0;
  const now = nowIso();
  // Sealed as the app seals them (encryption at rest).
  const rows = await Promise.all(
    missing.map(async (demo) => ({
      ...(await sealCaseColumns(fields, demo.id, demo)),
      owner_id: ownerId,
      created_at: now,
      updated_at: now,
      // A found case's retention period starts when it is seeded.
      closed_at: demo.status === 'missing' ? null : now,
    })),
  );
  await db.insertInto('missing_persons').values(rows).execute();
  return missing.length;
}

const config = loadConfig();
// The demo login has a published password: it must never exist on a real installation.
if (config.NODE_ENV === 'production') {
  console.error('npm run seed refuses to run with NODE_ENV=production: its demo login is public.');
  process.exit(1);
}
const db = createDatabase({
  url: config.DATABASE_URL ?? sqlitePath(config),
  poolSize: config.DATABASE_POOL_SIZE,
});
try {
  await migrateToLatest(db);
  const user = await ensureDemoUser(db);
  const { fields } = createFieldEncryption(config, db);
  const cases = await ensureDemoCases({ db, fields }, user.id);
  console.log(
    user.created
      ? `Created the demo user: ${DEMO_USER.username} / ${DEMO_USER.password}`
      : `The demo user "${DEMO_USER.username}" exists already (its password is left as it is).`,
  );
  console.log(`Missing-person cases added: ${cases} (of ${DEMO_CASES.length} demo cases).`);
} finally {
  await db.destroy();
}

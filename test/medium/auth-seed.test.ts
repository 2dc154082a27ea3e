import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases.js';
import { useTestApp } from '../support/test-app.js';

const run = promisify(execFile);

describe.each(testDialects)('npm run seed on $name', (dialect) => {
  const t = useTestApp(dialect);

  const seed = async (extra: Record<string, string> = {}) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: t.config.DATA_DIR,
      DATABASE_URL: t.config.DATABASE_URL,
      LOG_LEVEL: 'silent',
      ...extra,
    };
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { env });
    return stdout;
  };
  const snapshot = async () => ({
    users: await t.deps.db.selectFrom('users').selectAll().orderBy('id').execute(),
    cases: await t.deps.db.selectFrom('missing_persons').selectAll().orderBy('id').execute(),
  });

  it('refuses to run in production, and creates nothing', async () => {
    await expect(seed({ NODE_ENV: 'production' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('refuses to run with NODE_ENV=production') as unknown,
    });
    expect(await t.deps.db.selectFrom('users').selectAll().execute()).toEqual([]);
  }, 60_000);

  it('creates a demo admin login with three cases, and changes nothing when run again', async () => {
    expect(await seed()).toContain('Created the demo user: demo / person-finder-2024');
    const first = await snapshot();
    expect(first.users.map((u) => u.username)).toEqual(['demo']);
    // The first account of a fresh install is its admin.
    expect(first.users[0]!.role).toBe('admin');
    expect(first.cases).toHaveLength(3);
    // Names and notes are sealed as the app seals them.
    expect(first.cases.every((c) => c.first_name.startsWith('enc1:'))).toBe(true);
    expect(new Set(first.cases.map((c) => c.owner_id))).toEqual(new Set([first.users[0]!.id]));

    const login = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@example.com', password: 'person-finder-2024' }),
    });
    expect(login.status).toBe(200);

    expect(await seed()).toContain('Missing-person cases added: 0');
    expect(await snapshot()).toEqual(first);
  }, 60_000);
});

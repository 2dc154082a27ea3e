import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLayers, describeViolation } from '../../scripts/check-layers.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/**
 * A miniature source tree, each file importing one thing: the real rules of .dependency-cruiser.mjs
 * run over it as `npm run lint` runs them over the code.
 */
const fixture: Record<string, string> = {
  'src/db/database.ts': 'export type Db = object;\n',
  'src/db/tables/case.table.ts': 'export interface CasesTable { id: string }\n',
  'src/recognition/tracker.ts':
    "import type { Db } from '../db/database.js';\nexport type T = Db;\n",
  'src/events/event.bus.ts':
    "import { listCases } from '../cases/case.service.js';\nexport const b = listCases;\n",
  'src/cases/case.service.ts':
    "import type { Db } from '../db/database.js';\nexport const listCases = (db: Db) => db;\n",
  'src/cases/case.repository.ts':
    "import type { CasesTable } from '../db/tables/case.table.js';\nexport type R = CasesTable;\n",
  'src/searches/search.service.ts':
    "import { listCases } from '../cases/case.service.js';\nimport type { R } from '../cases/case.repository.js';\nexport const s = (r: R) => [listCases, r];\n",
  'src/videos/video.job.ts': 'export const job = 1;\n',
  'src/jobs/job.queue.ts': "import { job } from '../videos/video.job.js';\nexport const q = job;\n",
  'src/live/live.service.ts':
    "import { a } from '../quota/quota.repository.js';\nexport const l = a;\n",
  'src/quota/quota.repository.ts':
    "import { l } from '../live/live.service.js';\nexport const a = 1;\nexport const m = l;\n",
  'src/contracts/search.contract.ts': 'export type SearchDto = { id: string };\n',
  'web/src/lib/api.ts':
    "import type { SearchDto } from '../../../src/contracts/search.contract.js';\nimport { s } from '../../../src/searches/search.service.js';\nexport const w = (d: SearchDto) => [d, s];\n",
};

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'mpf-layers-'));
  for (const [file, text] of Object.entries(fixture)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function violationsOf(knownViolationsFile = path.join(root, 'none.json')) {
  const result = await checkLayers({
    root,
    folders: ['src', 'web/src'],
    configFile: path.join(repoRoot, '.dependency-cruiser.mjs'),
    knownViolationsFile,
    tsConfigFile: path.join(repoRoot, 'tsconfig.json'),
  });
  return { ...result, lines: result.violations.map(describeViolation).sort() };
}

describe('the layer rules of npm run lint', () => {
  it('fail each forbidden import and pass the allowed ones', async () => {
    const { lines } = await violationsOf();
    expect(lines).toEqual(
      [
        'engine-imports-only-itself: src/recognition/tracker.ts → src/db/database.ts',
        'adapter-imports-no-feature: src/events/event.bus.ts → src/cases/case.service.ts',
        'feature-imports-features-through-services: src/searches/search.service.ts → src/cases/case.repository.ts',
        'jobs-imports-no-feature-job: src/jobs/job.queue.ts → src/videos/video.job.ts',
        'adapter-imports-no-feature: src/jobs/job.queue.ts → src/videos/video.job.ts',
        'feature-imports-features-through-services: src/live/live.service.ts → src/quota/quota.repository.ts',
        'web-imports-server-only-contracts: web/src/lib/api.ts → src/searches/search.service.ts',
        'no-folder-cycle: src/live → src/quota (cycle: src/live → src/quota → src/live)',
        'no-folder-cycle: src/quota → src/live (cycle: src/quota → src/live → src/quota)',
        // One report per file cycle (dependency-cruiser names it once).
        'no-module-cycle: src/live/live.service.ts → src/quota/quota.repository.ts (cycle: src/live/live.service.ts → src/quota/quota.repository.ts → src/live/live.service.ts)',
      ].sort(),
    );
  });

  it('accept the violations of the known-violations file, folder cycles included, and name the stale ones', async () => {
    const { violations } = await violationsOf();
    const known = [
      ...violations.filter(
        (violation) =>
          violation.from.startsWith('src/live') || violation.from.startsWith('src/quota'),
      ),
      {
        type: 'dependency',
        from: 'src/gone.ts',
        to: 'src/db/database.ts',
        rule: { name: 'adapter-imports-no-feature', severity: 'error' },
      },
    ];
    const knownFile = path.join(root, 'known.json');
    writeFileSync(knownFile, JSON.stringify(known));
    const { lines, stale } = await violationsOf(knownFile);
    expect(lines.some((line) => line.includes('src/live') || line.includes('src/quota'))).toBe(
      false,
    );
    expect(lines).toContain(
      'engine-imports-only-itself: src/recognition/tracker.ts → src/db/database.ts',
    );
    expect(stale.map((entry) => entry.from)).toEqual(['src/gone.ts']);
  });
});

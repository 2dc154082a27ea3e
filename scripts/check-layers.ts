// `npm run lint:layers`: checks the import rules of .dependency-cruiser.mjs (the layers of
// ARCHITECTURE.md) over src/ and web/src/, and fails on any violation that is not a known one.
//
// A script rather than the depcruise command because depcruise's --ignore-known skips known
// module-level violations but not known folder cycles; here both come from the one baseline file,
// .dependency-cruiser-known-violations.json (`depcruise src web/src --output-type baseline`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

export interface LayerCheckOptions {
  /** The directory the rules' paths (`^src/…`) are relative to. */
  root: string;
  /** Folders to check, relative to root. */
  folders: string[];
  configFile: string;
  /** Violations to accept for now; a missing file means none. */
  knownViolationsFile: string;
  tsConfigFile?: string;
}

export interface LayerCheckResult {
  /** Violations that fail the check. */
  violations: IViolation[];
  /** Entries of the known-violations file that no longer occur: delete them. */
  stale: IViolation[];
}

const sameViolation = (a: IViolation, b: IViolation) =>
  a.rule.name === b.rule.name && a.from === b.from && a.to === b.to;

function readKnown(file: string): IViolation[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as IViolation[]) : [];
}

export async function checkLayers(options: LayerCheckOptions): Promise<LayerCheckResult> {
  const known = readKnown(options.knownViolationsFile);
  const cruiseOptions = await extractDepcruiseOptions(options.configFile);
  const tsConfig = options.tsConfigFile ? extractTSConfig(options.tsConfigFile) : undefined;
  const { output } = await cruise(
    options.folders,
    { ...cruiseOptions, baseDir: options.root, validate: true, knownViolations: known },
    {},
    { tsConfig },
  );
  const found = (output as ICruiseResult).summary.violations;
  // Known dependency violations come back with severity "ignore"; known folder cycles do not.
  const violations = found.filter(
    (violation) =>
      violation.rule.severity !== 'ignore' &&
      !known.some((entry) => entry.type === 'cycle' && sameViolation(entry, violation)),
  );
  const stale = known.filter(
    (entry) => !found.some((violation) => sameViolation(entry, violation)),
  );
  return { violations, stale };
}

export function describeViolation(violation: IViolation): string {
  const cycle = violation.cycle?.map((step) => step.name).join(' → ');
  const via = cycle ? ` (cycle: ${violation.from} → ${cycle})` : '';
  return `${violation.rule.name}: ${violation.from} → ${violation.to}${via}`;
}

async function main(): Promise<void> {
  const root = process.cwd();
  const { violations, stale } = await checkLayers({
    root,
    folders: ['src', 'web/src'],
    configFile: path.join(root, '.dependency-cruiser.mjs'),
    knownViolationsFile: path.join(root, '.dependency-cruiser-known-violations.json'),
    tsConfigFile: path.join(root, 'tsconfig.json'),
  });
  for (const entry of stale)
    console.log(`known violation gone, delete it: ${describeViolation(entry)}`);
  for (const violation of violations) console.error(`error ${describeViolation(violation)}`);
  if (violations.length > 0) {
    console.error(
      `\n${violations.length} import(s) break the layer rules of .dependency-cruiser.mjs ` +
        '(docs/architecture.md explains them).',
    );
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config.js';

// An operator deploys from .env.example alone (docs/deployment.md): it must name every setting.
describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const named = new Set(
    [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? ''),
  );

  it('names every variable of src/config.ts', () => {
    const missing = Object.keys(configSchema.shape).filter((key) => !named.has(key));
    expect(missing).toEqual([]);
  });

  it('gives each default as src/config.ts does', () => {
    const defaults = configSchema.parse({});
    const wrong = [...example.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.+)$/gm)]
      .filter(([, key = '']) => key in defaults)
      .filter(([, key = '', value]) => {
        const expected = defaults[key as keyof typeof defaults];
        return String(Array.isArray(expected) ? expected.join(',') : expected) !== value;
      })
      .map(([line]) => line);
    expect(wrong).toEqual([]);
  });
});

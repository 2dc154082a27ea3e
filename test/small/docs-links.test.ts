import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The README is an overview whose detail lives in docs/: a moved or renamed file or heading must
// not leave a link that leads nowhere.
const root = path.resolve(import.meta.dirname, '../..');
const documents = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Markdown outside code fences and inline code, where a `](…)` is a link. */
function proseOf(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const headings = markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6} (.+)$/gm);
  for (const [, heading = ''] of headings) {
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    let anchor = slug;
    for (let n = 1; anchors.has(anchor); n += 1) anchor = `${slug}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

function deadLinksOf(document: string): string[] {
  const markdown = readFileSync(path.join(root, document), 'utf8');
  const targets = [...proseOf(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map(([, t = '']) => t);
  return targets
    .filter((target) => !/^[a-z]+:/i.test(target))
    .filter((target) => {
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? document : path.join(path.dirname(document), file);
      if (!existsSync(path.join(root, resolved))) return true;
      if (anchor === undefined || !resolved.endsWith('.md')) return false;
      return !anchorsOf(readFileSync(path.join(root, resolved), 'utf8')).has(anchor);
    })
    .map((target) => `${document}: ${target}`);
}

describe('documentation links', () => {
  it.each(documents)('%s links only to files and headings that exist', (document) => {
    expect(deadLinksOf(document)).toEqual([]);
  });
});

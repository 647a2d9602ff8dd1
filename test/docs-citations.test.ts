/**
 * Nothing in the repository cites a document that is not in it: code cites
 * docs/style.md and docs/architecture.md, not the "STYLE" and "DESIGN"
 * documents the project began from, and every `docs/…` file named in code, in
 * docs/ or in the README exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CODE_ROOTS = ['packages', 'apps', 'bench', 'scripts', 'test'];
const SKIP = new Set(['node_modules', 'dist', 'results', 'peers', '.cache']);

function walk(dir: string, keep: (file: string) => boolean, into: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, keep, into);
    else if (keep(path)) into.push(path);
  }
  return into;
}

const codeFiles = CODE_ROOTS.flatMap((root) => walk(join(ROOT, root), (f) => /\.(ts|tsx|mjs|js|sh)$/.test(f)));
const docFiles = [join(ROOT, 'README.md'), ...walk(join(ROOT, 'docs'), (f) => f.endsWith('.md'))];

describe('citations', () => {
  it('code cites no STYLE or DESIGN document outside the repository', () => {
    const stale = codeFiles.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          /\bSTYLE §|\bDESIGN\b/.test(line) && file !== fileURLToPath(import.meta.url)
            ? [`${relative(ROOT, file)}:${i + 1}`]
            : [],
        ),
    );
    expect(stale).toEqual([]);
  });

  it('every docs/ page named in code, docs and the README exists', () => {
    const missing: string[] = [];
    for (const file of [...codeFiles, ...docFiles]) {
      const text = readFileSync(file, 'utf8');
      for (const [, path] of text.matchAll(/(?<![\w/.-])(docs\/[\w./-]*\.md)\b/g))
        if (!existsSync(join(ROOT, path!))) missing.push(`${relative(ROOT, file)} → ${path}`);
      if (!file.endsWith('.md')) continue;
      // Relative Markdown links between pages.
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(normalize(join(dirname(file), target!)))) missing.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

// The arrows of the architecture, checked: routes (src/http) call the domain and never reach into the
// database themselves; the calendar library imports nothing of ours outside src/calendar. A change
// that breaks an arrow fails here with the file and the import, not later in review.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file imports (static and dynamic), resolved to a path under the project or a package name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)]
    .map((match) => match[1] ?? match[2]!);
  return specifiers.map((specifier) =>
    specifier.startsWith('.') ? relative(root, resolve(file, '..', specifier)) : specifier,
  );
}

describe('architecture', () => {
  it('keeps the database out of route files: src/http imports neither src/db/schema nor drizzle-orm', () => {
    const offences = filesUnder(join(src, 'http')).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/db/schema') || target === 'drizzle-orm' || target.startsWith('drizzle-orm/'))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(offences).toEqual([]);
  });

  it('keeps the domain free of HTTP: src/domain and src/db import nothing from src/http', () => {
    const offences = [...filesUnder(join(src, 'domain')), ...filesUnder(join(src, 'db'))].flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/http/'))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(offences).toEqual([]);
  });

  it('keeps the calendar library pure: src/calendar imports nothing of ours outside it', () => {
    const offences = filesUnder(join(src, 'calendar')).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith('src/') && !target.startsWith('src/calendar/'))
        .map((target) => `${relative(root, file)} imports ${target}`),
    );
    expect(offences).toEqual([]);
  });

  it('finds the imports it checks (the check itself works)', () => {
    expect(importsOf(join(src, 'app.ts'))).toContain('fastify');
    expect(importsOf(join(src, 'app.ts')).some((target) => target.startsWith('src/http/'))).toBe(true);
  });
});

// Where the benchmarks keep their figures: each owns one level-2 section of BENCHMARKS.md and replaces only
// that section, so running one benchmark never disturbs another's figures.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const file = join(resolve(import.meta.dirname, '..'), 'BENCHMARKS.md');

/** Replaces the section that starts with `heading` (up to the next `## `), or appends it. */
export function recordSection(heading: string, text: string) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nFigures recorded by the scripts in `bench/`.\n';
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escaped}\\n[\\s\\S]*?(?=^## |(?![\\s\\S]))`, 'm');
  writeFileSync(file, pattern.test(current) ? current.replace(pattern, () => `${text}\n`) : `${current.trimEnd()}\n\n${text}`);
  console.log(`recorded in ${file}`);
}

/** One line naming the machine, for the top of a section: a figure means little without it. */
export function machineLine(): string {
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  return `Machine: ${nproc} cores (\`nproc\`), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
}

/** The 1-minute load average, read before and after a run so a reader can tell a busy machine's figures. */
export const loadAverage = () => loadavg()[0]!;

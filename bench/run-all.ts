// `npm run bench`: every benchmark in bench/, one after another in its own process (each one prints its
// figures and records them in BENCHMARKS.md). One at a time, because they measure the machine: two at
// once would each report the other's load. `npm run bench -- feeds orders` runs only those.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';

const here = import.meta.dirname;
/** Files in bench/ that are helpers of the benchmarks, not benchmarks. */
const HELPERS = new Set(['run-all.ts', 'synthetic.ts', 'export-harness.ts', 'load.ts', 'load-generator.ts', 'record.ts']);

const all = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && !HELPERS.has(name))
  .map((name) => name.slice(0, -'.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(`No benchmark called ${unknown.join(', ')}; there are: ${all.join(', ')}`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of wanted.length ? wanted : all) {
  console.log(`\n=== bench/${name}.ts`);
  const run = spawnSync(process.execPath, [resolve(here, `${name}.ts`)], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}

// Runs bench/load-generator.ts in a child process and returns its figures: what the HTTP benchmarks use
// so the load generator and the server under test never share a process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export type LoadResult = { rps: number; p50: number; p99: number; non2xx: number; errors: number; bytesPerRequest: number };

export function loadFromAnotherProcess(
  url: string,
  options: { connections?: number; seconds?: number; headers?: Record<string, string> } = {},
): Promise<LoadResult> {
  const script = join(import.meta.dirname, 'load-generator.ts');
  return new Promise((done, fail) => {
    execFile(process.execPath, [script, JSON.stringify({ url, ...options })], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      if (error) return fail(new Error(`load generator failed: ${stderr || error.message}`));
      done(JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult);
    });
  });
}

// The shared synthetic schedule (../shared/bench/synthetic-schedule.mjs) that every export benchmark
// runs on, typed once. Exits with a message when the shared folder is not there.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const sharedDir = process.env.OPENEVENT_SHARED_DIR ?? resolve(import.meta.dirname, '..', '..', 'shared');

export interface Synthetic {
  id: number;
  title: string;
  abstract: string;
  startsAt: Date;
  endsAt: Date;
  room: string;
  track: string;
  type: string;
  speakers: string[];
}

export interface SyntheticModule {
  EVENT: { id: number; identifier: string; name: string; timezone: string; baseUrl: string };
  generateSessions(n: number, seed?: number): Synthetic[];
}

export async function loadSynthetic(): Promise<SyntheticModule> {
  const file = join(sharedDir, 'bench', 'synthetic-schedule.mjs');
  if (!existsSync(file)) {
    console.error(`needs ${file} (set OPENEVENT_SHARED_DIR to the shared folder)`);
    process.exit(2);
  }
  return (await import(pathToFileURL(file).href)) as SyntheticModule;
}

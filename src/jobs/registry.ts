// Every kind of job the workers run. A new job is a file in jobs/ and a line here.
import type { Config } from '../config.ts';
import type { JobDefinition } from './queue.ts';

export function allJobs(_config: Config): JobDefinition<any>[] {
  return [];
}

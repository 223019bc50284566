// Rate limits whose counters live in the database, so that every API process counts the same
// attempts: a limit kept in one process's memory is multiplied by the number of processes, and an
// attacker spreading requests over them walks around it. Fixed windows: the first attempt after a
// window ended opens the next one.
import { lt, sql } from 'drizzle-orm';
import { rateLimits } from '../db/schema/index.ts';
import type { Queryable } from '../db/connection.ts';
import { TooManyError } from './errors.ts';

export interface Limit {
  /** What is counted and for whom, e.g. `login-account:ada@example.org`. */
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Counts one attempt against the limit, or throws TooManyError (with the seconds until the window
 * ends) when it is used up. One statement counts and answers, so concurrent attempts from several
 * processes cannot both slip under the limit.
 */
export async function countAttempt(db: Queryable, limit: Limit): Promise<void> {
  const window = sql`make_interval(secs => ${limit.windowSeconds})`;
  const expired = sql`${rateLimits.resetsAt} <= now()`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: limit.key, count: 1, resetsAt: sql`now() + ${window}` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        resetsAt: sql`CASE WHEN ${expired} THEN excluded.resets_at ELSE ${rateLimits.resetsAt} END`,
      },
    })
    .returning({
      count: rateLimits.count,
      secondsLeft: sql<number>`extract(epoch from ${rateLimits.resetsAt} - now())::float8`,
    });
  if (row!.count > limit.max) {
    throw new TooManyError(`Too many attempts; try again in ${Math.ceil(row!.secondsLeft)} seconds`, row!.secondsLeft);
  }
  await forgetExpiredNow(db);
}

/** Starts the count for this key afresh (a login that succeeded clears its account's failures). */
export async function clearAttempts(db: Queryable, key: string): Promise<void> {
  await db.delete(rateLimits).where(sql`${rateLimits.key} = ${key}`);
}

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;
let lastSwept = 0;

/**
 * Rows of ended windows are dead weight (one per address and email ever seen): each process deletes
 * them now and then, on the path of an attempt, so no job has to know about this table.
 */
async function forgetExpiredNow(db: Queryable): Promise<void> {
  if (Date.now() - lastSwept < SWEEP_INTERVAL_MS) return;
  lastSwept = Date.now();
  await db.delete(rateLimits).where(lt(rateLimits.resetsAt, sql`now()`));
}

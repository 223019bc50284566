// The two ways the project reads many rows: one page of a list with its total (JSON:API lists), and
// every row in id order a bounded batch at a time (exports and CSVs, which must not hold a whole
// event's rows in memory).

export interface Page<T> {
  rows: T[];
  total: number;
}

/** Runs a page's rows and its count side by side. */
export async function listPage<T>(rows: PromiseLike<T[]>, count: PromiseLike<{ n: number }[]>): Promise<Page<T>> {
  const [found, [counted]] = await Promise.all([rows, count]);
  return { rows: found, total: counted?.n ?? 0 };
}

/**
 * Yields batches of rows in ascending key order: `fetch(after, limit)` returns up to `limit` rows whose
 * key is greater than `after` (null for the first batch). Keyset paging, so each batch costs the same
 * however deep into the table it is, and rows added behind the cursor are not read twice.
 */
export async function* keysetBatches<T, K>(
  fetch: (after: K | null, limit: number) => Promise<T[]>,
  keyOf: (row: T) => K,
  batchSize = 500,
): AsyncGenerator<T[]> {
  let after: K | null = null;
  for (;;) {
    const rows = await fetch(after, batchSize);
    if (rows.length) yield rows;
    if (rows.length < batchSize) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

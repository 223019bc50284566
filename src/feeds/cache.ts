// Rendered feeds, kept in memory by a key that names everything the bytes depend on (event, schedule
// version, format, filters). A changed schedule has a new version, so a new key: nothing is ever
// invalidated, old entries just age out. Concurrent requests for a key that is being rendered wait
// for that one render instead of starting their own, so a burst of polls after an edit renders once.
import { brotliCompress, gzip, constants } from 'node:zlib';
import { promisify } from 'node:util';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export interface RenderedFeed {
  body: Buffer;
  /** Compressed once per entry on first demand, then served as they are. */
  gzip?: Promise<Buffer>;
  brotli?: Promise<Buffer>;
}

export class FeedCache {
  readonly #entries = new Map<string, Promise<RenderedFeed>>();
  readonly #maxEntries: number;
  /** How many renders ran: what the "one render per burst" check counts. */
  renders = 0;

  constructor(maxEntries = 200) {
    this.#maxEntries = maxEntries;
  }

  get(key: string, render: () => Promise<Buffer>): Promise<RenderedFeed> {
    const existing = this.#entries.get(key);
    if (existing) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, existing);
      return existing;
    }
    this.renders++;
    const entry = render().then((body) => ({ body }));
    // A failed render is not remembered: the next request tries again.
    entry.catch(() => this.#entries.delete(key));
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return entry;
  }
}

export function gzipped(feed: RenderedFeed): Promise<Buffer> {
  feed.gzip ??= gz(feed.body);
  return feed.gzip;
}

export function brotlied(feed: RenderedFeed): Promise<Buffer> {
  // Quality 5: most of the size gain of 11 at a small part of its cost; done once per schedule version.
  feed.brotli ??= brotli(feed.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
  return feed.brotli;
}

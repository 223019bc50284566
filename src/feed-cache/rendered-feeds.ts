// Rendered live feeds, kept in memory by a key that names everything the bytes depend on (event, schedule
// version, format, filters normalized to ids that exist). A changed schedule has a new version, so a new key:
// nothing is ever invalidated, old entries just age out, least recently used first, once the bytes held
// (bodies and their compressed copies) pass the bound. Concurrent requests for a key that is being rendered
// wait for that one render instead of starting their own, so a burst of polls after an edit renders once.
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

interface Entry {
  feed: Promise<RenderedFeed>;
  /** What this entry holds once rendered (and compressed): 0 while it renders. */
  bytes: number;
}

/** 64 MB: a few hundred typical feeds, or a few of the largest schedules with their compressed copies. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class FeedCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxBytes: number;
  #bytes = 0;
  /** How many renders ran: what the "one render per burst" check counts. */
  renders = 0;

  constructor(maxBytes = DEFAULT_MAX_BYTES) {
    this.#maxBytes = maxBytes;
  }

  /** Entries held (rendering ones included). */
  get size(): number {
    return this.#entries.size;
  }

  /** Bytes held by rendered entries and their compressed copies. */
  get bytes(): number {
    return this.#bytes;
  }

  get(key: string, render: () => Promise<Buffer>): Promise<RenderedFeed> {
    const existing = this.#entries.get(key);
    if (existing) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.#entries.delete(key);
      this.#entries.set(key, existing);
      return existing.feed;
    }
    this.renders++;
    const entry: Entry = { feed: render().then((body) => ({ body })), bytes: 0 };
    this.#entries.set(key, entry);
    entry.feed.then(
      (feed) => this.#grow(key, entry, feed.body.length),
      // A failed render is not remembered: the next request tries again.
      () => this.#drop(key, entry),
    );
    return entry.feed;
  }

  /** The entry's gzip copy, made once and counted against the bound. */
  gzipped(key: string, feed: RenderedFeed): Promise<Buffer> {
    if (!feed.gzip) this.#account(key, gzipped(feed));
    return feed.gzip!;
  }

  /** The entry's brotli copy, made once and counted against the bound. */
  brotlied(key: string, feed: RenderedFeed): Promise<Buffer> {
    if (!feed.brotli) this.#account(key, brotlied(feed));
    return feed.brotli!;
  }

  #account(key: string, compressed: Promise<Buffer>) {
    const entry = this.#entries.get(key);
    if (entry) compressed.then((buffer) => this.#grow(key, entry, buffer.length), () => {});
  }

  #grow(key: string, entry: Entry, bytes: number) {
    // The entry may have been evicted meanwhile: then it holds nothing of ours any more.
    if (this.#entries.get(key) !== entry) return;
    entry.bytes += bytes;
    this.#bytes += bytes;
    this.#evict();
  }

  #drop(key: string, entry: Entry) {
    if (this.#entries.get(key) !== entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #evict() {
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) return;
      this.#drop(key, entry);
    }
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

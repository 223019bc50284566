// The rendered-feed cache: one render per key however many ask at once, and a bound in bytes (bodies and
// their compressed copies), least recently used out first.
import { describe, expect, it } from 'vitest';
import { FeedCache } from '../../src/feed-cache/rendered-feeds.ts';

const body = (bytes: number, fill = 'a') => async () => Buffer.alloc(bytes, fill);

describe('FeedCache', () => {
  it('renders a key once for concurrent requests', async () => {
    const cache = new FeedCache(1024);
    const feeds = await Promise.all(Array.from({ length: 10 }, () => cache.get('k', body(10))));
    expect(cache.renders).toBe(1);
    expect(new Set(feeds).size).toBe(1);
    expect(cache.bytes).toBe(10);
  });

  it('stays within its byte bound, dropping the least recently used', async () => {
    const cache = new FeedCache(1000);
    await cache.get('a', body(400));
    await cache.get('b', body(400));
    await cache.get('a', body(400)); // a is now the most recently used
    await cache.get('c', body(400));
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.size).toBe(2);
    const renders = cache.renders;
    await cache.get('a', body(400));
    expect(cache.renders, 'a was kept').toBe(renders);
    await cache.get('b', body(400));
    expect(cache.renders, 'b was dropped').toBe(renders + 1);
  });

  it('counts compressed copies, and keeps nothing larger than the bound', async () => {
    const cache = new FeedCache(1000);
    const feed = await cache.get('a', body(600, 'x'));
    const gzip = await cache.gzipped('a', feed);
    await new Promise((resolve) => setImmediate(resolve));
    expect(cache.bytes).toBe(600 + gzip.length);
    await cache.get('huge', body(5000));
    expect(cache.bytes).toBeLessThanOrEqual(1000);
    expect(cache.size).toBeLessThanOrEqual(1);
  });

  it('forgets a failed render', async () => {
    const cache = new FeedCache(1000);
    await expect(cache.get('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(cache.size).toBe(0);
    await cache.get('k', body(5));
    expect(cache.renders).toBe(2);
  });
});

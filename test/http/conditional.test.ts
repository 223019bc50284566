// The one conditional-GET rule the feeds and the export downloads share (RFC 9110 §13).
import { describe, expect, it } from 'vitest';
import { isFresh, noneMatchHolds } from '../../src/http/conditional.ts';

const etag = '"abc-7-ics-x1"';
const lastModified = new Date('2026-03-01T10:00:00.750Z');

describe('If-None-Match', () => {
  it('matches the tag itself, in a list, and weakly (W/ on either side)', () => {
    expect(noneMatchHolds('"abc-7-ics-x1"', etag)).toBe(true);
    expect(noneMatchHolds('"old", "abc-7-ics-x1" ,"other"', etag)).toBe(true);
    expect(noneMatchHolds('W/"abc-7-ics-x1"', etag)).toBe(true);
    expect(noneMatchHolds('"abc-7-ics-x1"', 'W/"abc-7-ics-x1"')).toBe(true);
  });

  it('matches anything with *, and nothing else', () => {
    expect(noneMatchHolds('*', etag)).toBe(true);
    expect(noneMatchHolds(' * ', etag)).toBe(true);
    expect(noneMatchHolds('"abc-7-ics-x2"', etag)).toBe(false);
    expect(noneMatchHolds('abc-7-ics-x1', etag)).toBe(false);
    expect(noneMatchHolds('', etag)).toBe(false);
  });

  it('reads a tag holding a comma as one tag', () => {
    expect(noneMatchHolds('"a,b"', '"a,b"')).toBe(true);
    expect(noneMatchHolds('"a,b"', '"a"')).toBe(false);
  });
});

describe('freshness', () => {
  it('lets If-None-Match decide when present, ignoring If-Modified-Since', () => {
    const future = new Date('2030-01-01T00:00:00Z').toUTCString();
    expect(isFresh({ 'if-none-match': '"stale"', 'if-modified-since': future }, { etag, lastModified })).toBe(false);
    const past = new Date('2000-01-01T00:00:00Z').toUTCString();
    expect(isFresh({ 'if-none-match': etag, 'if-modified-since': past }, { etag, lastModified })).toBe(true);
  });

  it('reads If-Modified-Since at whole seconds, and not when it is no date', () => {
    expect(isFresh({ 'if-modified-since': 'Sun, 01 Mar 2026 10:00:00 GMT' }, { etag, lastModified })).toBe(true);
    expect(isFresh({ 'if-modified-since': 'Sun, 01 Mar 2026 09:59:59 GMT' }, { etag, lastModified })).toBe(false);
    expect(isFresh({ 'if-modified-since': 'yesterday' }, { etag, lastModified })).toBe(false);
    expect(isFresh({ 'if-modified-since': 'Sun, 01 Mar 2026 10:00:00 GMT' }, { etag })).toBe(false);
  });

  it('is not fresh without either header', () => {
    expect(isFresh({}, { etag, lastModified })).toBe(false);
  });
});

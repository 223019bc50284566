// The values an event keeps: placement flags only from admins, and the web client's epoch for
// "schedule not published" kept as null.
import { describe, expect, it } from 'vitest';
import { keptValues } from '../../src/domain/events.ts';

describe('keptValues', () => {
  const flags = { isFeatured: true, isPromoted: true, isDemoted: false, name: 'Summit' };

  it('keeps featured, promoted and demoted from admins and drops them from anyone else', () => {
    expect(keptValues(flags, true)).toEqual(flags);
    expect(keptValues(flags, false)).toEqual({ name: 'Summit' });
  });

  it('reads the epoch in schedule-published-on as not published and keeps any other instant', () => {
    expect(keptValues({ schedulePublishedOn: new Date('1970-01-01T00:00:00Z') }, false)).toEqual({ schedulePublishedOn: null });
    const published = new Date('2026-01-15T12:00:00Z');
    expect(keptValues({ schedulePublishedOn: published }, false)).toEqual({ schedulePublishedOn: published });
    expect(keptValues({ schedulePublishedOn: null }, false)).toEqual({ schedulePublishedOn: null });
  });
});

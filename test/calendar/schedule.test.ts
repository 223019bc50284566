import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../src/calendar/model.ts';
import { PUBLISHED_SESSION_STATES, isExportable } from '../../src/calendar/schedule.ts';
import { session } from './support.ts';

describe('isExportable', () => {
  const states: SessionState[] = ['draft', 'pending', 'accepted', 'confirmed', 'rejected', 'withdrawn', 'canceled'];

  it('takes accepted and confirmed sessions only', () => {
    const taken = states.filter((state) => isExportable(session({ state })));
    expect(taken).toEqual(['accepted', 'confirmed']);
    // The list queries filter on in SQL is the same rule.
    expect([...PUBLISHED_SESSION_STATES]).toEqual(taken);
  });

  it('leaves out deleted sessions', () => {
    expect(isExportable(session({ deletedAt: new Date('2025-02-01T00:00:00Z') }))).toBe(false);
  });

  it('needs both a start and an end, the end not before the start', () => {
    expect(isExportable(session({ startsAt: null }))).toBe(false);
    expect(isExportable(session({ endsAt: null }))).toBe(false);
    expect(isExportable(session({ startsAt: new Date(Number.NaN) }))).toBe(false);
    const start = new Date('2025-03-10T08:00:00Z');
    expect(isExportable(session({ startsAt: start, endsAt: new Date('2025-03-10T07:59:59Z') }))).toBe(false);
    expect(isExportable(session({ startsAt: start, endsAt: start }))).toBe(true);
  });
});

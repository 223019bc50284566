// page[size]=0 (OES: "everything") is bounded: one request reads at most UNPAGED_LIMIT rows, and a
// longer list is refused rather than answered in part.
import { asc, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../../src/domain/errors.ts';
import { UNPAGED_LIMIT, parseListQuery } from '../../../src/domain/list-query.ts';
import { checkUnpaged } from '../../../src/http/resource/routes.ts';

const spec = { fields: {}, defaultSort: [asc(sql`id`)] };

describe('page[size]=0', () => {
  it('asks for one page of up to UNPAGED_LIMIT rows', () => {
    const query = parseListQuery({ 'page[size]': '0' }, spec);
    expect(query.page).toEqual({ size: 0, number: 1 });
    expect(query.limit).toBe(UNPAGED_LIMIT);
    expect(query.offset).toBe(0);
  });

  it('refuses a list longer than the bound, and answers one within it', () => {
    const query = parseListQuery({ 'page[size]': '0' }, spec);
    expect(() => checkUnpaged(query, UNPAGED_LIMIT)).not.toThrow();
    expect(() => checkUnpaged(query, UNPAGED_LIMIT + 1)).toThrow(InvalidError);
    // Paged lists are not concerned.
    expect(() => checkUnpaged(parseListQuery({ 'page[size]': '10' }, spec), UNPAGED_LIMIT + 1)).not.toThrow();
  });
});

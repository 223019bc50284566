// The site's static pages (OES's `page`: "About", "Terms"…): a name, a URL and where the web client
// lists the link. Anyone reads them; admins write them.
import { asc, count, eq, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { pages } from '../db/schema/index.ts';
import { listPage } from '../db/paging.ts';
import { InvalidError, NotFoundError } from './errors.ts';
import { requireAdmin } from './admin.ts';
import type { User } from './users.ts';

export type Page = typeof pages.$inferSelect;

/** Where the client shows a page's link (OES accepts only these). */
export const PLACES = ['footer', 'event'] as const;

export interface PageInput {
  name?: string;
  title?: string | null;
  url?: string;
  description?: string | null;
  place?: string | null;
  language?: string | null;
  index?: number;
}

/** The fields a page list can be filtered and sorted on, for the list query parser. */
export const PAGE_LIST = {
  fields: {
    id: { column: pages.id, kind: 'integer' as const },
    name: { column: pages.name, kind: 'text' as const },
    title: { column: pages.title, kind: 'text' as const },
    url: { column: pages.url, kind: 'text' as const },
    place: { column: pages.place, kind: 'text' as const },
    language: { column: pages.language, kind: 'text' as const },
    index: { column: pages.index, kind: 'integer' as const },
  },
  // The client orders its footer by index; ties keep creation order.
  defaultSort: [asc(pages.index), asc(pages.id)],
};

export interface ListQuery {
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
}

export function listPages(db: Queryable, query: ListQuery) {
  return listPage(
    db.select().from(pages).where(query.where).orderBy(...query.orderBy).limit(query.limit).offset(query.offset),
    db.select({ n: count() }).from(pages).where(query.where),
  );
}

export async function findPage(db: Queryable, id: number): Promise<Page> {
  const [page] = await db.select().from(pages).where(eq(pages.id, id));
  if (!page) throw new NotFoundError('No such page');
  return page;
}

function check(input: PageInput, creating: boolean): void {
  const problems: { message: string; field: { attribute: string } }[] = [];
  for (const name of ['name', 'url'] as const) {
    const value = input[name];
    if ((creating && value === undefined) || (value !== undefined && value.trim() === '')) {
      problems.push({ message: `"${name}" is required`, field: { attribute: name } });
    }
  }
  if (input.place != null && !(PLACES as readonly string[]).includes(input.place)) {
    problems.push({ message: `"place" must be one of ${PLACES.join(', ')}`, field: { attribute: 'place' } });
  }
  if (problems.length) throw InvalidError.many(problems);
}

export async function createPage(db: Queryable, user: User, input: PageInput): Promise<Page> {
  requireAdmin(user, 'create pages');
  check(input, true);
  const [page] = await db
    .insert(pages)
    .values({ ...input, name: input.name!, url: input.url!, index: input.index ?? 0 })
    .returning();
  return page!;
}

export async function updatePage(db: Queryable, user: User, id: number, input: PageInput): Promise<Page> {
  requireAdmin(user, 'change pages');
  check(input, false);
  if (Object.keys(input).length === 0) return findPage(db, id);
  const [page] = await db.update(pages).set(input).where(eq(pages.id, id)).returning();
  if (!page) throw new NotFoundError('No such page');
  return page;
}

export async function deletePage(db: Queryable, user: User, id: number): Promise<void> {
  requireAdmin(user, 'delete pages');
  const deleted = await db.delete(pages).where(eq(pages.id, id)).returning({ id: pages.id });
  if (!deleted.length) throw new NotFoundError('No such page');
}

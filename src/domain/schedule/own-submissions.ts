// A speaker's own proposals and profiles across events (OES's /v1/users/{id}/sessions and
// /v1/users/{id}/speakers, the web client's "My Sessions"): for the user themselves and admins only.
import { and, count, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/connection.ts';
import { listPage, type Page } from '../../db/paging.ts';
import { events } from '../../db/schema/index.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { childRows, type ChildModel, type RowOf } from '../event-child/model.ts';
import type { ListWindow } from '../event-child/read.ts';
import { findUserById, type User } from '../users.ts';

/** The user whose submissions `viewer` asks for: themselves, or anyone for an admin. */
export async function submitterFor(db: Database, viewer: User, userId: number): Promise<User> {
  if (viewer.id === userId) return viewer;
  if (!viewer.isAdmin) throw new ForbiddenError('Only the user and admins see the sessions and speaker profiles a user submitted');
  const user = await findUserById(db, userId);
  if (!user) throw new NotFoundError('User not found');
  return user;
}

/** `event has {…}` on a list of child rows: the row's event matches (My Sessions' upcoming filter). */
export function eventOfRowFilter(model: ChildModel) {
  return {
    kind: 'one' as const,
    fields: () => ({
      id: { column: events.id, kind: 'integer' as const },
      identifier: { column: events.identifier, kind: 'text' as const },
      name: { column: events.name, kind: 'text' as const },
      'starts-at': { column: events.startsAt, kind: 'instant' as const },
      'ends-at': { column: events.endsAt, kind: 'instant' as const },
    }),
    exists: (where: SQL | undefined): SQL =>
      sql`EXISTS (SELECT 1 FROM ${events} WHERE ${events.id} = ${model.table.eventId}${where ? sql` AND ${where}` : sql``})`,
  };
}

/** One page of the user's own rows of this model, in events that still exist. */
export function listOwnRows(db: Database, model: ChildModel, user: User, window: Omit<ListWindow, 'trashed'>): Promise<Page<RowOf>> {
  const { table } = model;
  if (!model.submissions) throw new Error(`${model.type} takes no submissions`);
  const where = and(
    model.submissions.ownWhere(user),
    isNull(table.deletedAt),
    sql`EXISTS (SELECT 1 FROM ${events} WHERE ${events.id} = ${table.eventId} AND ${isNull(events.deletedAt)})`,
    window.where,
  );
  return listPage(
    db.select().from(table).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset).then(childRows),
    db.select({ n: count() }).from(table).where(where),
  );
}


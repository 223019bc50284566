// Reading an event's child rows as one viewer may see them: the team sees everything (and, on
// request, the deleted rows too); anyone else sees the live rows the model's public rule allows, of
// events they may read. What a viewer may not see does not exist for them.
import { and, count, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/connection.ts';
import { listPage, type Page } from '../../db/paging.ts';
import { eventAccess, type EventAccess } from '../access.ts';
import { NotFoundError } from '../errors.ts';
import type { User } from '../users.ts';
import { childRows, columnsOf, type ChildModel, type ChildRelationship, type Inverse, type RowOf, type ToMany, type ToOne } from './model.ts';

/** Rows of a model this viewer may see: alive (or trashed too, for the team), public-only outside the team. */
export function visibleWhere(model: ChildModel, access: EventAccess, options: { trashed?: boolean } = {}): SQL | undefined {
  return and(options.trashed && access.isTeam ? undefined : isNull(model.table.deletedAt), outsideTeamWhere(model, access));
}

/** What a viewer outside the team sees: the public rows and, for a submitter, their own. */
function outsideTeamWhere(model: ChildModel, access: EventAccess): SQL | undefined {
  if (access.isTeam || !model.publicWhere) return undefined;
  const own = access.user && model.submissions ? model.submissions.ownWhere(access.user) : undefined;
  return own ? or(model.publicWhere(), own) : model.publicWhere();
}

/** The live row with this id and the viewer's access to its event; NotFoundError when the viewer may not see it. */
export async function findChild(db: Database, model: ChildModel, id: number, user: User | null): Promise<{ row: RowOf; access: EventAccess }> {
  const { table } = model;
  const [row] = childRows(await db.select().from(table).where(and(eq(table.id, id), isNull(table.deletedAt))));
  const access = row ? await eventAccess(db, row.eventId, user) : null;
  if (!row || !access?.canRead) throw new NotFoundError('Not found');
  const outside = outsideTeamWhere(model, access);
  if (outside) {
    const [shown] = await db.select({ id: table.id }).from(table).where(and(eq(table.id, row.id), outside));
    if (!shown) throw new NotFoundError('Not found');
  }
  return { row, access };
}

/** The event named by `{ev}` (id or identifier) as this viewer may read it; NotFoundError otherwise. */
export async function readableEvent(db: Database, key: string | number, user: User | null): Promise<EventAccess> {
  const access = await eventAccess(db, key, user);
  if (!access?.canRead) throw new NotFoundError('Not found');
  return access;
}

export interface ListWindow {
  /** The list's filter, on top of "this event's rows this viewer may see". */
  where: SQL | undefined;
  orderBy: SQL[];
  limit: number;
  offset: number;
  /** The team asks for deleted rows as well (`get_trashed=true`). */
  trashed: boolean;
}

/** One page of an event's rows of this model, and how many there are in all. */
export function listChildren(db: Database, model: ChildModel, access: EventAccess, window: ListWindow): Promise<Page<RowOf>> {
  const { table } = model;
  const where = and(eq(table.eventId, access.event.id), visibleWhere(model, access, { trashed: window.trashed }), window.where);
  return listPage(
    db.select().from(table).where(where).orderBy(...window.orderBy).limit(window.limit).offset(window.offset).then(childRows),
    db.select({ n: count() }).from(table).where(where),
  );
}

/** The rows with these ids this viewer may see, in id order. */
export async function visibleRows(db: Database, model: ChildModel, ids: readonly number[], access: EventAccess): Promise<RowOf[]> {
  if (ids.length === 0) return [];
  const { table } = model;
  return childRows(
    await db
      .select()
      .from(table)
      .where(and(inArray(table.id, [...ids]), visibleWhere(model, access)))
      .orderBy(table.id),
  );
}

/** For each row, the ids of the targets its to-many relationship links it to that this viewer may see, in id order. */
export async function linkedIds(
  db: Database,
  relationship: ToMany | Inverse,
  rowIds: readonly number[],
  access: EventAccess,
): Promise<Map<number, number[]>> {
  const ids = new Map<number, number[]>(rowIds.map((id) => [id, []]));
  if (rowIds.length === 0) return ids;
  if (relationship.kind === 'inverse') {
    const target = relationship.target();
    const own = columnsOf(target)[relationship.column]!;
    const found = await db
      .select({ own, other: target.table.id })
      .from(target.table)
      .where(and(inArray(own, [...rowIds]), visibleWhere(target, access)))
      .orderBy(target.table.id);
    for (const row of found) ids.get(Number(row.own))?.push(Number(row.other));
    return ids;
  }
  const { link } = relationship;
  const target = relationship.target();
  const links = await db
    .select({ own: link.own, other: link.other })
    .from(link.table)
    .innerJoin(target.table, eq(target.table.id, link.other))
    .where(and(inArray(link.own, [...rowIds]), visibleWhere(target, access)))
    .orderBy(link.other);
  for (const found of links) ids.get(Number(found.own))?.push(Number(found.other));
  return ids;
}

/** The value of a row's to-one relationship: the target's id or null. */
export function foreignKey(row: RowOf, relationship: ToOne): number | null {
  const value = row[relationship.column];
  return typeof value === 'number' ? value : null;
}

/**
 * A condition for list filters on a relationship (`has`/`any`): rows with a related row this viewer
 * may see on which `where` holds.
 */
export function relatedExists(model: ChildModel, relationship: ChildRelationship, access: EventAccess): (where: SQL | undefined) => SQL {
  const target = relationship.target();
  if (relationship.kind === 'one') {
    const column = columnsOf(model)[relationship.column];
    return (where) =>
      sql`EXISTS (SELECT 1 FROM ${target.table} WHERE ${target.table.id} = ${column} AND ${and(visibleWhere(target, access), where)})`;
  }
  if (relationship.kind === 'inverse') {
    const own = columnsOf(target)[relationship.column];
    return (where) =>
      sql`EXISTS (SELECT 1 FROM ${target.table} WHERE ${own} = ${model.table.id} AND ${and(visibleWhere(target, access), where)})`;
  }
  const { link } = relationship;
  return (where) =>
    sql`EXISTS (SELECT 1 FROM ${link.table} JOIN ${target.table} ON ${target.table.id} = ${link.other} WHERE ${link.own} = ${model.table.id} AND ${and(visibleWhere(target, access), where)})`;
}

/**
 * A condition on the target's rows: related to the row `ownerId` through the owner's relationship
 * (the sessions of track 3, the speakers of session 7).
 */
function relatedTo(relationship: ToMany | Inverse, ownerId: number): SQL {
  const target = relationship.target();
  if (relationship.kind === 'inverse') return eq(columnsOf(target)[relationship.column]!, ownerId);
  const { link } = relationship;
  return sql`EXISTS (SELECT 1 FROM ${link.table} WHERE ${link.other} = ${target.table.id} AND ${link.own} = ${ownerId})`;
}

/** One page of the rows a row's to-many relationship points at (a track's sessions), as the viewer may see them. */
export function listRelated(
  db: Database,
  relationship: ToMany | Inverse,
  ownerId: number,
  access: EventAccess,
  window: ListWindow,
): Promise<Page<RowOf>> {
  return listChildren(db, relationship.target(), access, { ...window, where: and(relatedTo(relationship, ownerId), window.where) });
}

/** The event's live row of a model it has at most one of (its copyright, its tax), or null. */
export async function onlyChild(db: Database, model: ChildModel, access: EventAccess): Promise<RowOf | null> {
  const { table } = model;
  const [row] = childRows(
    await db
      .select()
      .from(table)
      .where(and(eq(table.eventId, access.event.id), visibleWhere(model, access)))
      .orderBy(table.id)
      .limit(1),
  );
  return row ?? null;
}

/**
 * Which of these rows are the viewer's own submissions (a speaker's proposals), so they see them as
 * the team does; empty for the team itself and for models that take no submissions.
 */
export async function ownRowIds(db: Database, model: ChildModel, access: EventAccess, ids: readonly number[]): Promise<Set<number>> {
  if (access.isTeam || !access.user || !model.submissions || ids.length === 0) return new Set();
  const { table } = model;
  const rows = await db.select({ id: table.id }).from(table).where(and(inArray(table.id, [...ids]), model.submissions.ownWhere(access.user)));
  return new Set(rows.map((row) => Number(row.id)));
}

/**
 * A team-only column as a viewer outside the team may filter or sort by it: its value on their own
 * rows, NULL on everyone else's (so a filter never finds another person's email). Undefined when the
 * viewer has no own rows to see.
 */
export function ownColumn(model: ChildModel, access: EventAccess, column: SQL | PgColumn): SQL | undefined {
  if (access.isTeam || !access.user || !model.submissions) return undefined;
  return sql`CASE WHEN ${model.submissions.ownWhere(access.user)} THEN ${column} END`;
}

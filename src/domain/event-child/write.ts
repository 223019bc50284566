// Creating, changing and soft-deleting an event's child rows, with their relationships, in one
// transaction that also bumps the event's schedule version (for schedule data), so feeds and exports
// never miss a change.
import { and, eq, getTableColumns, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, Transaction } from '../../db/connection.ts';
import { violatedConstraint } from '../../db/errors.ts';
import { eventAccess, type EventAccess } from '../access.ts';
import { InvalidError, NotFoundError } from '../errors.ts';
import { refuse } from '../refusal.ts';
import { touchSchedule } from '../schedule-version.ts';
import type { User } from '../users.ts';
import { childRows, type ChildModel, type LinkTable, type RowOf, type ValuesOf } from './model.ts';
import { findChild } from './read.ts';

/** Ids a request gives each relationship it sets (one or none for to-one), by relationship name. */
export type RelationshipIds = Map<string, number[]>;

export function mayWrite(model: ChildModel, access: EventAccess): boolean {
  return model.writers === 'managers' ? access.canManage : access.canEditSessions;
}

/** Where a write goes, and whether the writer is one of the model's writers or a submitter writing their own. */
export interface WriteTarget {
  access: EventAccess;
  asWriter: boolean;
}

/**
 * The event to add a row to, for a user who may write this model there: one of its writers, or
 * (for models that take submissions) a submitter the model lets in now; `hash` is a private call's hash.
 */
export async function writableEvent(db: Database, model: ChildModel, key: string | number, user: User | null, hash: string | null = null): Promise<WriteTarget> {
  const access = await eventAccess(db, key, user);
  // Adding to an event you cannot see is adding to nothing: 404, as for any hidden resource.
  if (!access?.canRead) throw new NotFoundError(`No event ${key}`);
  if (mayWrite(model, access)) return { access, asWriter: true };
  if (!user || !model.submissions) refuse(user, true, 'You may not change this');
  await model.submissions.mayCreate(db, access, user, hash);
  return { access, asWriter: false };
}

/** The row with this id and its event's access, for a user who may change it (a writer, or its submitter). */
export async function writableChild(db: Database, model: ChildModel, id: number, user: User | null): Promise<{ row: RowOf } & WriteTarget> {
  const found = await findChild(db, model, id, user);
  if (mayWrite(model, found.access)) return { ...found, asWriter: true };
  if (user && model.submissions) {
    const { table } = model;
    const [own] = await db.select({ id: table.id }).from(table).where(and(eq(table.id, id), model.submissions.ownWhere(user)));
    if (own) return { ...found, asWriter: false };
  }
  refuse(user, true, 'You may not change this');
}

/**
 * Checks that every id given is a live row of the target in this event, and splits the relationships
 * into foreign-key column values and link-table rows.
 */
async function resolveRelationships(
  db: Database,
  model: ChildModel,
  given: RelationshipIds,
  eventId: number,
): Promise<{ columns: ValuesOf; links: Map<LinkTable, number[]> }> {
  const columns: ValuesOf = {};
  const links = new Map<LinkTable, number[]>();
  for (const [name, relationship] of Object.entries(model.relationships)) {
    const wanted = given.get(name);
    if (!wanted || relationship.kind === 'inverse') continue;
    const target = relationship.target();
    const unique = [...new Set(wanted)];
    if (unique.length) {
      const found = await db
        .select({ id: target.table.id })
        .from(target.table)
        .where(and(inArray(target.table.id, unique), eq(target.table.eventId, eventId), isNull(target.table.deletedAt)));
      const known = new Set(found.map((row) => Number(row.id)));
      const missing = unique.filter((id) => !known.has(id));
      if (missing.length) throw new InvalidError(`No ${target.type} ${missing.join(', ')} in this event`, { relationship: name });
    }
    if (relationship.kind === 'one') columns[relationship.column] = unique[0] ?? null;
    else links.set(relationship.link, unique);
  }
  return { columns, links };
}

/** Replaces the row's links in each link table given. */
async function writeLinks(tx: Transaction, rowId: number, links: Map<LinkTable, number[]>) {
  for (const [link, ids] of links) {
    await tx.delete(link.table).where(eq(link.own, rowId));
    if (ids.length) await tx.insert(link.table).values(ids.map((id) => ({ [link.ownKey]: rowId, [link.otherKey]: id })));
  }
}

/** What every change to a row also sets, where the table has such columns (iCalendar needs SEQUENCE). */
function changeStamp(model: ChildModel): Record<string, unknown> {
  const columns = getTableColumns(model.table);
  const stamp: Record<string, unknown> = {};
  if (columns.updatedAt) stamp.updatedAt = new Date();
  if (columns.lastModifiedAt) stamp.lastModifiedAt = new Date();
  if (columns.sequence) stamp.sequence = sql`${columns.sequence} + 1`;
  return stamp;
}

/** A constraint violation the model explains becomes its error; anything else goes on as is. */
function explainViolation(model: ChildModel, error: unknown): unknown {
  const constraint = violatedConstraint(error);
  const explain = constraint ? model.constraintErrors?.[constraint] : undefined;
  return explain ? explain() : error;
}

async function inTransaction<R>(db: Database, model: ChildModel, work: (tx: Transaction) => Promise<R>): Promise<R> {
  try {
    return await db.transaction(work);
  } catch (error) {
    throw explainViolation(model, error);
  }
}

/** A new row in the event (access from writableEvent), written by `user`, with its relationships. */
export async function createChild(
  db: Database,
  model: ChildModel,
  { access, asWriter }: WriteTarget,
  user: User,
  given: ValuesOf,
  relationships: RelationshipIds,
): Promise<RowOf> {
  const eventId = access.event.id;
  model.beforeCreate?.(access.event);
  const values = { ...given, ...(asWriter ? {} : model.submissions?.onCreate?.(user)) };
  await model.beforeWrite?.(db, { access, user, row: null, values, relationships, asWriter });
  const { columns, links } = await resolveRelationships(db, model, relationships, eventId);
  model.validate?.({ ...values, ...columns });
  await model.checkRelationships?.(db, relationships);
  return inTransaction(db, model, async (tx) => {
    const [created] = childRows(await tx
      .insert(model.table)
      .values({ ...values, ...columns, ...model.onCreate?.(user), eventId })
      .returning());
    await writeLinks(tx, created!.id, links);
    if (model.schedule !== false) await touchSchedule(tx, eventId);
    return created!;
  });
}

/** The row (from writableChild) with the given values and relationships changed. */
export async function updateChild(
  db: Database,
  model: ChildModel,
  row: RowOf,
  given: ValuesOf,
  relationships: RelationshipIds,
  /** Who writes, where: the model's rules for writers and submitters run when given. */
  by?: WriteTarget & { user: User },
): Promise<RowOf> {
  const values = { ...given };
  if (by) await model.beforeWrite?.(db, { access: by.access, user: by.user, row, values, relationships, asWriter: by.asWriter });
  const { columns, links } = await resolveRelationships(db, model, relationships, row.eventId);
  model.validate?.({ ...row, ...values, ...columns });
  await model.checkRelationships?.(db, relationships);
  return inTransaction(db, model, async (tx) => {
    const [changed] = childRows(await tx
      .update(model.table)
      .set({ ...values, ...columns, ...changeStamp(model) })
      .where(eq(model.table.id, row.id))
      .returning());
    await writeLinks(tx, row.id, links);
    await model.afterChange?.(tx, changed!, 'update');
    if (model.schedule !== false) await touchSchedule(tx, row.eventId);
    return changed!;
  });
}

/** Soft-deletes the row (from writableChild): it stays for the team's trash and for exports' history. */
export async function deleteChild(db: Database, model: ChildModel, row: RowOf): Promise<void> {
  await inTransaction(db, model, async (tx) => {
    const [deleted] = childRows(await tx
      .update(model.table)
      .set({ deletedAt: new Date(), ...changeStamp(model) })
      .where(eq(model.table.id, row.id))
      .returning());
    await model.afterChange?.(tx, deleted!, 'delete');
    if (model.schedule !== false) await touchSchedule(tx, row.eventId);
  });
}

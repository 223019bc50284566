// What the domain knows of a resource that belongs to one event (tracks, rooms, session types,
// speakers, sessions): its table, its relationships, who may write it, what the public sees of it and
// the rules its values follow. Each resource states this once as a `ChildModel<typeof itsTable>`, so
// a column name that is not in the table is a type error where the model is written. The SQL that
// serves every model is in read.ts and write.ts.
import { getTableColumns, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Queryable, Transaction } from '../../db/connection.ts';
import type { Event, EventAccess } from '../access.ts';
import type { User } from '../users.ts';

/** A table whose rows belong to one event: an id, the event's id, and soft deletion. */
export type ChildTable = PgTable & { id: PgColumn; eventId: PgColumn; deletedAt: PgColumn };

/** A row of such a table as read from the database. For `ChildTable` itself: any child's row. */
export type RowOf<T extends ChildTable = ChildTable> = T['$inferSelect'] & { id: number; eventId: number; deletedAt: Date | null };

/**
 * Drizzle types the rows of a table it knows only as "some child table" as plain records; every such
 * table has the id, event id and deletion columns, which is what RowOf adds.
 */
export function childRows(rows: Record<string, unknown>[]): RowOf[] {
  return rows as RowOf[];
}

/**
 * The names of a table's columns, as keys of its rows (camelCase: `startsAt`). Written as a
 * conditional type so that TypeScript compares models structurally: a model of one table is then
 * also a model of "some child table" (a plain `keyof` would make the two unrelated).
 */
export type ColumnOf<T extends ChildTable = ChildTable> = T extends ChildTable ? keyof RowOf<T> & string : never;

/** Values a write gives some of the columns. */
export type ValuesOf<T extends ChildTable = ChildTable> = Partial<RowOf<T>>;

/** A foreign key of our row: a session's track. */
export interface ToOne<T extends ChildTable = ChildTable> {
  kind: 'one';
  column: ColumnOf<T>;
  target: () => ChildModel;
}

/** A link table between our rows and the target's: a session's speakers. */
export interface ToMany {
  kind: 'many';
  link: LinkTable;
  target: () => ChildModel;
}

/**
 * The target's rows whose foreign key points at our row: a track's sessions. Read only: a session
 * moves to a track by its own `track` relationship.
 */
export interface Inverse {
  kind: 'inverse';
  /** The target's column holding our id. */
  column: string;
  target: () => ChildModel;
}

export type ChildRelationship<T extends ChildTable = ChildTable> = ToOne<T> | ToMany | Inverse;

/** A link table and its two columns, ours and the target's, with their keys (inserts go by key). */
export interface LinkTable {
  table: PgTable;
  own: PgColumn;
  other: PgColumn;
  ownKey: string;
  otherKey: string;
}

export function linkTable<L extends PgTable, K extends keyof L['_']['columns'] & string>(table: L, own: K, other: K): LinkTable {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  return { table, own: columns[own]!, other: columns[other]!, ownKey: own, otherKey: other };
}

export interface ChildModel<T extends ChildTable = ChildTable> {
  /** The name of one, as clients know it: `track`, `session-type`. */
  type: string;
  table: T;
  relationships: Record<string, ChildRelationship<T>>;
  /** Managers write everything; session editors (managers and track organizers) write sessions. */
  writers: 'managers' | 'session-editors';
  /**
   * What people outside the event's team may see of it, beyond "not deleted". A submitter also sees
   * their own rows (`submissions.ownWhere`).
   */
  publicWhere?(): SQL;
  /**
   * People outside the writers who may create rows and change their own: speakers answering the call
   * for speakers (domain/schedule/submissions.ts).
   */
  submissions?: Submissions<T>;
  /**
   * Rules every write passes (inside no transaction yet): the values after the write, the row before
   * it (null on create), whether the writer is one of the model's writers or a submitter. May change
   * `values` (drop what a submitter may not set).
   */
  beforeWrite?(db: Queryable, write: WriteCheck<T>): Promise<void>;
  defaultSort(): SQL[];
  /** Rules on the values a row would have after the write (existing values merged with changes). */
  validate?(values: ValuesOf<T>): void;
  /** Rules on the event before a row is added to it (sponsors only where the event has them on). */
  beforeCreate?(event: Event): void;
  /** Column values to add on create (e.g. who submitted a session). */
  onCreate?(user: User): ValuesOf<T>;
  /** Inside the write transaction, after an update or delete of the row. */
  afterChange?(tx: Transaction, row: RowOf<T>, change: 'update' | 'delete'): Promise<void>;
  /** False for rows that are not in calendars and exports: writes leave the schedule version alone. */
  schedule?: boolean;
  /** Rules on the relationships a write gives (ids by relationship name), checked before it is written. */
  checkRelationships?(db: Queryable, given: Map<string, number[]>): Promise<void>;
  /** The error to report when a write violates one of the table's named constraints (a unique name, say). */
  constraintErrors?: Record<string, () => Error>;
}

export interface WriteCheck<T extends ChildTable = ChildTable> {
  access: EventAccess;
  user: User;
  row: RowOf<T> | null;
  values: ValuesOf<T>;
  /** Ids given for each relationship (by name), as in the request. */
  relationships: Map<string, number[]>;
  /** One of the model's writers (the event's team); false for a submitter writing their own. */
  asWriter: boolean;
}

export interface Submissions<T extends ChildTable = ChildTable> {
  /** Refuses (throws) when this user may not submit to the event now; `hash` is a private call's hash as given. */
  mayCreate(db: Queryable, access: EventAccess, user: User, hash: string | null): Promise<void>;
  /** The rows that are this user's own. */
  ownWhere(user: User): SQL;
  /** Values a submitter's new row gets whatever they sent (its owner). */
  onCreate?(user: User): ValuesOf<T>;
}

/** The table's columns by key, for filters and sorting on them. */
export function columnsOf(model: ChildModel): Record<string, PgColumn> {
  return getTableColumns(model.table);
}

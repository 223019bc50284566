// How a resource that belongs to one event (tracks, rooms, session types, speakers, sessions) looks
// over the API: its domain model, its path, its attribute table and the resources its relationships
// point at. `EventChild<typeof table>` ties the attribute table to the table's rows, so an attribute
// whose column is not in the table is a type error.
import type { Database } from '../../db/connection.ts';
import type { Event, EventAccess } from '../../domain/access.ts';
import type { ChildModel, ChildTable, ColumnOf, RowOf } from '../../domain/event-child/model.ts';
import type { User } from '../../domain/users.ts';
import type { ResourceObject } from '../jsonapi/document.ts';
import type { AttributeTable } from './attributes.ts';
import type { AppContext } from '../context.ts';

/** Who is looking, for what depends on it beyond the event's access (their own favourites). */
export interface Viewer {
  db: Database;
  access: EventAccess;
  user: User | null;
  /** Where event pages live, for included events' URLs. */
  publicUrl: string;
}

/**
 * A relationship to something other than the event's child resources: a user, the viewer's
 * favourite, or an OES feature openevent does not have (video streams, exhibitors), which is then
 * always empty so that OES's client can include and follow it and learn truthfully that there is nothing.
 */
export interface OuterRelationship {
  type: string;
  many: boolean;
  /** For each row, the ids this viewer may see; absent: always empty; null: the viewer gets the links only. */
  ids?(viewer: Viewer, rows: RowOf[]): Promise<Map<number, string[]> | null>;
  /** The related resources with these ids, for `include` and the related-resource route. */
  resources?(viewer: Viewer, ids: string[]): Promise<ResourceObject[]>;
  /** The column a request's identifier is written to (a speaker's user); otherwise a given value is ignored, as OES ignores it. */
  column?: string;
}

/** A relationship to an OES feature openevent does not have: always empty. */
export function absent(type: string, many: boolean): OuterRelationship {
  return { type, many };
}

/**
 * `Computed` names the attributes `computed` works out (a set of keys rather than the object type, so
 * a definition with computed values is still an `EventChild` of "some child table").
 */
export interface EventChild<T extends ChildTable = ChildTable, Computed extends string = never> {
  model: ChildModel<T>;
  /** Path segment: /v1/<plural>, /v1/events/{ev}/<plural>. */
  plural: string;
  /** Attributes read from the row's columns, or from values `computed` works out. */
  attributes: AttributeTable<ColumnOf<T> | NoInfer<Computed>>;
  /** The resource each of the model's relationships points at, by relationship name. */
  relationships: Record<string, () => EventChild>;
  /**
   * Attribute values worked out from a row for this viewer: read-only counts, a column in other units.
   * Their keys may be attribute columns too; give `row` its type (`RowOf<typeof table>`) so TypeScript
   * learns them from the return value.
   */
  computed?(row: RowOf<T>, access: EventAccess): Record<Computed, unknown>;
  /** Attribute values read for a page of rows at once (counts), by row id; they override the row's. */
  batch?(viewer: Viewer, rows: RowOf<T>[]): Promise<Map<number, Record<string, unknown>>>;
  /** Relationships beyond the model's and the event (see OuterRelationship), by name. */
  outer?: Record<string, OuterRelationship>;
  /** Attributes OES takes in requests but never answers with (a session's `send-email`): accepted and ignored. */
  writeOnly?: string[];
  /**
   * Turns the attribute values of a request into column values that need the event (a price in its
   * currency into minor units); `row` is the row being changed, null on create. Runs before the model's rules.
   */
  prepare?(values: Record<string, unknown>, event: Event, row: RowOf<T> | null): Record<string, unknown>;
  /**
   * After an update has been committed: what to tell people about it (a session's state change mailed
   * to its speakers when the request said `send-email`). `attributes` are the request's, as sent.
   */
  afterUpdate?(context: AppContext, change: { before: RowOf<T>; after: RowOf<T>; attributes: Record<string, unknown>; access: EventAccess; user: User; asWriter: boolean }): Promise<void>;
  /**
   * After a create has been committed: what to tell people about it (a speaker's new proposal mailed
   * to the event's organizers). `asWriter` is false for a submission through the call for speakers.
   */
  afterCreate?(context: AppContext, change: { row: RowOf<T>; access: EventAccess; user: User; asWriter: boolean }): Promise<void>;
  /** The event's list is for signed-in users only (401 otherwise), as OES has it for some resources. */
  listSignedIn?: boolean;
  /**
   * Values as OES's schemas take them ("true" for a flag, "3" for a count); the attributes named here
   * also take `null` as "not given" (ember-data sends every attribute, unset ones as null).
   */
  oesValues?: readonly string[];
  /**
   * `page[size]=0` lists everything (flask-rest-jsonapi's "no paging"), up to this many rows: for
   * resources an event has few of, which OES's client reads whole. `page[size]` may go up to it too
   * (the client's order pages ask for custom forms with `page[size]=700`).
   */
  wholeListUpTo?: number;
  /**
   * The event has at most one (its copyright, its tax): `GET /v1/events/{ev}/<name>` answers it, or
   * `{"data": null}` while there is none, instead of a list of them.
   */
  onePerEvent?: string;
  /**
   * Other paths OES answers a row's event at besides `/v1/<plural>/{id}/event` (OES has the tax's at
   * `/v1/tax/{id}/event`), as path prefixes: `/v1/tax`.
   */
  eventPathAliases?: readonly string[];
}

/**
 * A resource definition, checked: its columns against the table's rows (by type), and its
 * relationships against the model's (when the module loads).
 */
export function eventChild<T extends ChildTable, Computed extends string = never>(
  definition: EventChild<T, Computed>,
): EventChild<T, Computed> {
  const ours = Object.keys(definition.relationships).sort().join();
  const model = Object.keys(definition.model.relationships).sort().join();
  if (ours !== model) throw new Error(`${definition.model.type}: relationships [${ours}] do not match the model's [${model}]`);
  return definition;
}

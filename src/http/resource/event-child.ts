// The flat definition tickets are still written in (one object: table, rules and attributes, rows
// loosely typed), adapted to the typed factory the schedule's resources use (a ChildModel in the
// domain and an `eventChild()` here). It goes when tickets move to that shape.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/connection.ts';
import type { Event, EventAccess } from '../../domain/access.ts';
import type { ChildModel, ChildTable, RowOf } from '../../domain/event-child/model.ts';
import type { ResourceObject } from '../jsonapi/document.ts';
import type { AppContext } from '../context.ts';
import type { AttributeTable } from './attributes.ts';
import type { EventChild as TypedEventChild } from './definition.ts';
import { registerEventChild as registerTyped } from './routes.ts';
import { serialize as serializeTyped } from './serialization.ts';

/** A row whose columns this definition does not know by type. */
type LooseRow = RowOf & Record<string, any>; // tickets do arithmetic on their columns; goes with this file

export interface EventChild {
  type: string;
  plural: string;
  table: ChildTable;
  attributes: AttributeTable;
  /** None: a resource with relationships is written as a ChildModel and `eventChild()`. */
  relationships: Record<string, never>;
  writers: ChildModel['writers'];
  publicWhere?: ChildModel['publicWhere'];
  defaultSort: ChildModel['defaultSort'];
  validate?(values: LooseRow): void;
  onCreate?: ChildModel['onCreate'];
  afterChange?: ChildModel['afterChange'];
  schedule?: boolean;
  computed?(row: LooseRow, access: EventAccess): Record<string, unknown>;
  prepare?(values: Record<string, unknown>, event: Event, row: LooseRow | null): Record<string, unknown>;
  constraintErrors?: ChildModel['constraintErrors'];
}

const adapted = new WeakMap<EventChild, TypedEventChild>();

function typed(definition: EventChild): TypedEventChild {
  let resource = adapted.get(definition);
  if (!resource) {
    const { type, table, writers, publicWhere, defaultSort, validate, onCreate, afterChange, schedule, constraintErrors } = definition;
    resource = {
      model: { type, table, relationships: {}, writers, publicWhere, defaultSort, validate, onCreate, afterChange, schedule, constraintErrors },
      plural: definition.plural,
      attributes: definition.attributes,
      relationships: {},
      computed: definition.computed,
      prepare: definition.prepare,
    };
    adapted.set(definition, resource);
  }
  return resource;
}

export function registerEventChild(parent: FastifyInstance, context: AppContext, definition: EventChild) {
  registerTyped(parent, context, typed(definition));
}

export function serialize(
  db: Database,
  definition: EventChild,
  rows: RowOf[],
  access: EventAccess,
  include: string[] = [],
): Promise<{ data: ResourceObject[]; included: ResourceObject[] }> {
  return serializeTyped(db, typed(definition), rows, access, include);
}

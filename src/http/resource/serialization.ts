// Rows as JSON:API resource objects for one viewer: attributes from the attribute table (team-only
// ones left out for others), relationships as identifiers, and the related resources `include` asked for.
import type { Database } from '../../db/connection.ts';
import type { EventAccess } from '../../domain/access.ts';
import type { RowOf } from '../../domain/event-child/model.ts';
import { foreignKey, linkedIds, visibleRows } from '../../domain/event-child/read.ts';
import { identifier, type Relationship, type ResourceObject } from '../jsonapi/document.ts';
import { writeAttributes } from './attributes.ts';
import type { EventChild } from './definition.ts';

export async function serialize(
  db: Database,
  resource: EventChild,
  rows: RowOf[],
  access: EventAccess,
  include: readonly string[] = [],
): Promise<{ data: ResourceObject[]; included: ResourceObject[] }> {
  const { model } = resource;
  const rowIds = rows.map((row) => row.id);
  const toMany = new Map<string, Map<number, number[]>>();
  for (const [name, relationship] of Object.entries(model.relationships)) {
    if (relationship.kind === 'many') toMany.set(name, await linkedIds(db, relationship, rowIds, access));
  }
  /** The ids a row's relationship points at. */
  const idsOf = (row: RowOf, name: string): number[] => {
    const relationship = model.relationships[name]!;
    if (relationship.kind === 'many') return toMany.get(name)!.get(row.id) ?? [];
    const id = foreignKey(row, relationship);
    return id === null ? [] : [id];
  };

  const data = rows.map((row): ResourceObject => {
    const relationships: Record<string, Relationship> = {
      event: { data: identifier('event', row.eventId), links: { related: `/v1/events/${row.eventId}` } },
    };
    for (const [name, relationship] of Object.entries(model.relationships)) {
      const type = relationship.target().type;
      const ids = idsOf(row, name).map((id) => ({ type, id: String(id) }));
      relationships[name] = { data: relationship.kind === 'one' ? (ids[0] ?? null) : ids };
    }
    const values = resource.computed ? { ...row, ...resource.computed(row, access) } : row;
    return {
      type: model.type,
      id: String(row.id),
      attributes: writeAttributes(resource.attributes, values, access.isTeam),
      relationships,
      links: { self: `/v1/${resource.plural}/${row.id}` },
    };
  });

  const included: ResourceObject[] = [];
  for (const name of include) {
    const target = resource.relationships[name]!();
    const ids = new Set(rows.flatMap((row) => idsOf(row, name)));
    const targetRows = await visibleRows(db, target.model, [...ids], access);
    included.push(...(await serialize(db, target, targetRows, access)).data);
  }
  return { data, included };
}

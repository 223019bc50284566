// Rows as JSON:API resource objects for one viewer: attributes from the attribute table (team-only
// ones left out for others), every relationship with OES's `links.self` and `links.related` (and its
// data where openevent gives it), and the related resources `include` asked for, nested paths too.
import type { Database } from '../../db/connection.ts';
import type { EventAccess } from '../../domain/access.ts';
import type { RowOf } from '../../domain/event-child/model.ts';
import { foreignKey, linkedIds, ownRowIds, visibleRows } from '../../domain/event-child/read.ts';
import { eventResource } from '../events.ts';
import type { Relationship, ResourceIdentifier, ResourceObject } from '../jsonapi/document.ts';
import { writeAttributes } from './attributes.ts';
import type { EventChild, Viewer } from './definition.ts';

/** OES's links of a relationship: the linkage itself, and the related resource(s). */
export function relationshipLinks(resource: EventChild, id: number | string, name: string) {
  return { self: `/v1/${resource.plural}/${id}/relationships/${name}`, related: `/v1/${resource.plural}/${id}/${name}` };
}

/** For each relationship of the model and each row, the ids it points at (as this viewer may see them). */
async function modelLinkage(viewer: Viewer, resource: EventChild, rows: RowOf[]): Promise<(row: RowOf, name: string) => number[]> {
  const { model } = resource;
  const rowIds = rows.map((row) => row.id);
  const toMany = new Map<string, Map<number, number[]>>();
  for (const [name, relationship] of Object.entries(model.relationships)) {
    if (relationship.kind !== 'one') toMany.set(name, await linkedIds(viewer.db, relationship, rowIds, viewer.access));
  }
  return (row, name) => {
    const relationship = model.relationships[name]!;
    if (relationship.kind !== 'one') return toMany.get(name)!.get(row.id) ?? [];
    const id = foreignKey(row, relationship);
    return id === null ? [] : [id];
  };
}

/** For each outer relationship and each row, the ids it points at; null where the viewer sees only links. */
async function outerLinkage(viewer: Viewer, resource: EventChild, rows: RowOf[]): Promise<(row: RowOf, name: string) => string[] | null> {
  const found = new Map<string, Map<number, string[]> | null>();
  for (const [name, outer] of Object.entries(resource.outer ?? {})) {
    found.set(name, outer.ids ? await outer.ids(viewer, rows) : new Map());
  }
  return (row, name) => {
    const ids = found.get(name);
    return ids === null || ids === undefined ? null : (ids.get(row.id) ?? []);
  };
}

/** Include paths grouped by their first step: `sessions.track,sessions,event` → sessions: [track], event: []. */
function includeTree(paths: readonly string[]): Map<string, string[]> {
  const tree = new Map<string, string[]>();
  for (const path of paths) {
    const [first, ...rest] = path.split('.');
    const nested = tree.get(first!) ?? [];
    if (rest.length) nested.push(rest.join('.'));
    tree.set(first!, nested);
  }
  return tree;
}

/** For callers that have no viewer at hand (an event's included custom forms): nobody's favourites, no page URLs. */
export function serialize(
  db: Database,
  resource: EventChild,
  rows: RowOf[],
  access: EventAccess,
  include: readonly string[] = [],
): Promise<{ data: ResourceObject[]; included: ResourceObject[] }> {
  return serializeFor({ db, access, user: null, publicUrl: '' }, resource, rows, include);
}

export async function serializeFor(
  viewer: Viewer,
  resource: EventChild,
  rows: RowOf[],
  include: readonly string[] = [],
): Promise<{ data: ResourceObject[]; included: ResourceObject[] }> {
  const { model } = resource;
  const { access } = viewer;
  const idsOf = await modelLinkage(viewer, resource, rows);
  const outerIdsOf = await outerLinkage(viewer, resource, rows);
  const batch = resource.batch ? await resource.batch(viewer, rows) : new Map<number, Record<string, unknown>>();
  // A speaker sees their own proposals and profile whole, as the team does.
  const own = await ownRowIds(viewer.db, model, access, rows.map((row) => row.id));

  const data = rows.map((row): ResourceObject => {
    const links = (name: string) => relationshipLinks(resource, row.id, name);
    // The event as a link only, as OES gives it: its client keys events by identifier, and a numeric id here would split the event in its store.
    const relationships: Record<string, Relationship> = { event: { links: links('event') } };
    for (const [name, relationship] of Object.entries(model.relationships)) {
      const type = relationship.target().type;
      const ids = idsOf(row, name).map((id) => ({ type, id: String(id) }));
      relationships[name] = { data: relationship.kind === 'one' ? (ids[0] ?? null) : ids, links: links(name) };
    }
    for (const [name, outer] of Object.entries(resource.outer ?? {})) {
      const ids = outerIdsOf(row, name);
      if (ids === null) {
        relationships[name] = { links: links(name) };
        continue;
      }
      const identifiers: ResourceIdentifier[] = ids.map((id) => ({ type: outer.type, id }));
      relationships[name] = { data: outer.many ? identifiers : (identifiers[0] ?? null), links: links(name) };
    }
    const computed = resource.computed ? resource.computed(row, access) : {};
    const values = { ...row, ...computed, ...batch.get(row.id) };
    return {
      type: model.type,
      id: String(row.id),
      attributes: writeAttributes(resource.attributes, values, access.isTeam || own.has(row.id)),
      relationships,
      links: { self: `/v1/${resource.plural}/${row.id}` },
    };
  });

  const seen = new Set(data.map((object) => `${object.type}:${object.id}`));
  const included: ResourceObject[] = [];
  const add = (objects: ResourceObject[]) => {
    for (const object of objects) {
      const key = `${object.type}:${object.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      included.push(object);
    }
  };
  for (const [name, nested] of includeTree(include)) {
    if (name === 'event') {
      if (rows.length) add([eventResource(access.event, access, viewer.publicUrl)]);
      continue;
    }
    const outer = resource.outer?.[name];
    if (outer) {
      const ids = [...new Set(rows.flatMap((row) => outerIdsOf(row, name) ?? []))];
      if (outer.resources && ids.length) add(await outer.resources(viewer, ids));
      continue;
    }
    const target = resource.relationships[name]!();
    const ids = new Set(rows.flatMap((row) => idsOf(row, name)));
    const targetRows = await visibleRows(viewer.db, target.model, [...ids], access);
    const related = await serializeFor(viewer, target, targetRows, nested);
    add(related.data);
    add(related.included);
  }
  return { data, included };
}

// What a list of a resource can be filtered, sorted and included by, for one viewer: its attributes
// (team-only ones for the team only), `has`/`any` filters through its relationships, and its
// relationships as includes.
import type { EventAccess } from '../../domain/access.ts';
import { columnsOf } from '../../domain/event-child/model.ts';
import { ownColumn, relatedExists } from '../../domain/event-child/read.ts';
import { MAX_PAGE_SIZE, type ListSpec, type RelationshipFilterSpec } from '../../domain/list-query.ts';
import { listFields } from './attributes.ts';
import type { EventChild } from './definition.ts';

function fieldsOf(resource: EventChild, access: EventAccess) {
  const fields = listFields(resource.attributes, columnsOf(resource.model), access.isTeam);
  // Outside the team, a speaker may filter by the team-only fields of their own rows (the call for
  // speakers page looks up "my speaker profile" by email); on anyone else's rows those are NULL.
  const columns = columnsOf(resource.model);
  for (const [name, spec] of Object.entries(resource.attributes)) {
    if (!spec.teamOnly || spec.json || name in fields || !columns[spec.column]) continue;
    const own = ownColumn(resource.model, access, columns[spec.column]!);
    if (own) fields[name] = { column: own, kind: spec.kind };
  }
  return fields;
}

/** Every relationship of a resource, the event and outer ones too, by name. */
export function relationshipNamesOf(resource: EventChild): string[] {
  return ['event', ...Object.keys(resource.model.relationships), ...Object.keys(resource.outer ?? {})];
}

/**
 * The include paths a resource resolves: each relationship, and one step further through the event's
 * child resources (`sessions.track`, `microlocation.video-stream`), as deep as OES's client asks.
 */
export function includePaths(resource: EventChild): string[] {
  const paths = relationshipNamesOf(resource);
  for (const [name, target] of Object.entries(resource.relationships)) {
    for (const next of relationshipNamesOf(target())) paths.push(`${name}.${next}`);
  }
  return paths;
}

export function listSpec(resource: EventChild, access: EventAccess): ListSpec {
  const { model } = resource;
  const relationships: Record<string, RelationshipFilterSpec> = {};
  for (const [name, relationship] of Object.entries(model.relationships)) {
    const target = resource.relationships[name]!;
    relationships[name] = {
      kind: relationship.kind === 'one' ? 'one' : 'many',
      fields: () => fieldsOf(target(), access),
      exists: relatedExists(model, relationship, access),
    };
  }
  return {
    fields: fieldsOf(resource, access),
    relationships,
    includes: includePaths(resource),
    defaultSort: model.defaultSort(),
    ...(resource.wholeListUpTo !== undefined ? { maxPageSize: Math.max(resource.wholeListUpTo, MAX_PAGE_SIZE) } : {}),
  };
}

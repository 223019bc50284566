// A resource's relationships on the wire: their request and response schemas, and the ids a request
// body gives them (checked for form here; whether they exist in the event is the domain's question).
import { Type, type TSchema } from 'typebox';
import type { RelationshipIds } from '../../domain/event-child/write.ts';
import { relationshipPointer, unprocessable } from '../jsonapi/errors.ts';
import { LinkOnly, ToMany, ToOne } from '../jsonapi/schemas.ts';
import type { EventChild } from './definition.ts';
import { relationshipNamesOf } from './list-spec.ts';

/** A relationship as a request body gives it. */
export type RelationshipInput = { data: { type: string; id: string } | { type: string; id: string }[] | null };

/** Body schemas of the relationships a client may set: the event, and each of the model's. */
export function relationshipSchemas(resource: EventChild): Record<string, TSchema> {
  // The event's linkage may be left out when the client echoes back the links it was given.
  const schemas: Record<string, TSchema> = { event: Type.Optional(Type.Partial(ToOne('event'))) };
  for (const [name, relationship] of Object.entries(resource.model.relationships)) {
    const type = relationship.target().type;
    // A track's sessions are set on the sessions; the client may echo the linkage back.
    if (relationship.kind === 'inverse') schemas[name] = LinkOnly;
    else schemas[name] = Type.Optional(relationship.kind === 'one' ? ToOne(type) : ToMany(type));
  }
  for (const [name, outer] of Object.entries(resource.outer ?? {})) {
    schemas[name] = outer.column ? Type.Optional(ToOne(outer.type)) : LinkOnly;
  }
  return schemas;
}

/** Names of the relationships a resource object carries. */
export function relationshipNames(resource: EventChild): string[] {
  return relationshipNamesOf(resource);
}

/** Column values a request sets through outer relationships that are stored (a speaker's user). */
export function outerColumnValues(resource: EventChild, given: Record<string, RelationshipInput | undefined>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, outer] of Object.entries(resource.outer ?? {})) {
    const input = given[name];
    if (!outer.column || !input || Array.isArray(input.data)) continue;
    if (input.data && !/^[1-9]\d{0,9}$/.test(input.data.id)) throw unprocessable(`"${input.data.id}" is not a ${outer.type} id`, relationshipPointer(name));
    values[outer.column] = input.data ? Number(input.data.id) : null;
  }
  return values;
}

/** The ids a request sets each of the model's relationships to (an empty list clears it). */
export function requestedIds(resource: EventChild, given: Record<string, RelationshipInput | undefined>): RelationshipIds {
  const ids: RelationshipIds = new Map();
  for (const [name, relationship] of Object.entries(resource.model.relationships)) {
    const input = given[name];
    if (!input || relationship.kind === 'inverse') continue;
    const items = Array.isArray(input.data) ? input.data : input.data ? [input.data] : [];
    ids.set(
      name,
      items.map((item) => {
        if (!/^[1-9]\d{0,14}$/.test(item.id)) throw unprocessable(`"${item.id}" is not a ${relationship.target().type} id`, relationshipPointer(name));
        return Number(item.id);
      }),
    );
  }
  return ids;
}

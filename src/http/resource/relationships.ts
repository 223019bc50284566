// A resource's relationships on the wire: their request and response schemas, and the ids a request
// body gives them (checked for form here; whether they exist in the event is the domain's question).
import { Type, type TSchema } from 'typebox';
import type { RelationshipIds } from '../../domain/event-child/write.ts';
import { relationshipPointer, unprocessable } from '../jsonapi/errors.ts';
import { ToMany, ToOne } from '../jsonapi/schemas.ts';
import type { EventChild } from './definition.ts';

/** A relationship as a request body gives it. */
export type RelationshipInput = { data: { type: string; id: string } | { type: string; id: string }[] | null };

/** Body schemas of the relationships a client may set: the event, and each of the model's. */
export function relationshipSchemas(resource: EventChild): Record<string, TSchema> {
  const schemas: Record<string, TSchema> = { event: Type.Optional(ToOne('event')) };
  for (const [name, relationship] of Object.entries(resource.model.relationships)) {
    const type = relationship.target().type;
    schemas[name] = Type.Optional(relationship.kind === 'one' ? ToOne(type) : ToMany(type));
  }
  return schemas;
}

/** Names of the relationships a resource object carries. */
export function relationshipNames(resource: EventChild): string[] {
  return ['event', ...Object.keys(resource.model.relationships)];
}

/** The ids a request sets each of the model's relationships to (an empty list clears it). */
export function requestedIds(resource: EventChild, given: Record<string, RelationshipInput | undefined>): RelationshipIds {
  const ids: RelationshipIds = new Map();
  for (const [name, relationship] of Object.entries(resource.model.relationships)) {
    const input = given[name];
    if (!input) continue;
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

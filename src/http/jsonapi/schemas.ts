// TypeBox building blocks for JSON:API request and response schemas. Routes declare their schemas with
// these; Fastify validates requests against them and @fastify/swagger turns them into the OpenAPI
// document, so the docs cannot drift from what the server accepts.
import { Type, type TSchema, type TProperties, type TObject } from 'typebox';
import { conflict } from './errors.ts';
import { ignoreUndeclaredMembers } from './ignored-members.ts';
import { EXAMPLE_INSTANT, INSTANT_MAX_LENGTH, INSTANT_PATTERN } from '../../domain/instant.ts';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** An RFC 3339 instant that must carry `Z` or an offset: a naive local time is ambiguous, so refused. */
export const Instant = Type.String({
  pattern: INSTANT_PATTERN,
  maxLength: INSTANT_MAX_LENGTH,
  description: `RFC 3339 date-time with Z or a UTC offset, e.g. ${EXAMPLE_INSTANT}`,
});

export const IdString = Type.String({ pattern: '^[1-9][0-9]{0,14}$' });

// A relationship in a request. `links` and `meta` are what the server sent; clients echo them back.
const Echoed = { links: Type.Optional(Type.Unknown()), meta: Type.Optional(Type.Unknown()) };

export const ToOne = (type: string) =>
  Type.Object(
    { data: Nullable(Type.Object({ type: Type.Literal(type), id: Type.String() }, { additionalProperties: false })), ...Echoed },
    { additionalProperties: false },
  );

export const ToMany = (type: string) =>
  Type.Object(
    { data: Type.Array(Type.Object({ type: Type.Literal(type), id: Type.String() }, { additionalProperties: false })), ...Echoed },
    { additionalProperties: false },
  );

/** A relationship the server only links to (an event's sessions): echoed back, never written. */
export const LinkOnly = Type.Optional(Type.Object({ data: Type.Optional(Type.Unknown()), ...Echoed }, { additionalProperties: false }));

const relationshipsOptions = {
  additionalProperties: false,
  description: 'Relationships not listed here are ignored and named in the answer\'s `meta["ignored-relationships"]`',
};

/**
 * The body of a create or update request. `readOnly` names attributes the server computes: ember-data
 * clients (OES's frontend) send every attribute back on PATCH, so those are accepted and ignored. Any
 * other attribute or relationship the resource lacks is ignored too, as OES ignores it, and named in the
 * answer's `meta` (see ignored-members.ts); `additionalProperties: false` stays as the guarantee that a
 * handler never sees one.
 */
export function resourceBody<A extends TProperties, R extends TProperties>(options: {
  attributes: A;
  relationships?: R;
  readOnly?: readonly string[];
  requireRelationships?: boolean;
}) {
  const ignored = Object.fromEntries((options.readOnly ?? []).map((name) => [name, Type.Optional(Type.Unknown())]));
  const data = Type.Object(
    {
      type: Type.String(),
      id: Type.Optional(Type.String()),
      attributes: Type.Optional(
        Type.Object({ ...options.attributes, ...ignored } as A, {
          additionalProperties: false,
          description: 'Attributes not listed here are ignored and named in the answer\'s `meta["ignored-attributes"]`',
        }),
      ),
      relationships: options.requireRelationships
        ? Type.Object((options.relationships ?? {}) as R, relationshipsOptions)
        : Type.Optional(Type.Object((options.relationships ?? {}) as R, relationshipsOptions)),
      links: Type.Optional(Type.Unknown()),
    },
    { additionalProperties: false },
  );
  const body = Type.Object({ data, jsonapi: Type.Optional(Type.Unknown()), meta: Type.Optional(Type.Unknown()) }, { additionalProperties: false });
  return ignoreUndeclaredMembers(body, {
    attributes: new Set([...Object.keys(options.attributes), ...(options.readOnly ?? [])]),
    relationships: new Set(Object.keys(options.relationships ?? {})),
  });
}

/** JSON:API says a resource of the wrong type in a request body is a conflict (409). */
export function expectType(data: { type: string }, type: string): void {
  if (data.type !== type) {
    throw conflict(`This endpoint takes resources of type "${type}", got "${data.type}"`, { pointer: '/data/type' });
  }
}

/** A body that names another resource than the URL does is a conflict (409), as JSON:API says. */
export function expectSameId(data: { id?: string }, type: string, id: number | string): void {
  if (data.id !== undefined && data.id !== String(id)) {
    throw conflict(`The body is about ${type} ${data.id}, the URL about ${id}`, { pointer: '/data/id' });
  }
}

const RelationshipOut = Type.Object({
  data: Type.Optional(Type.Union([
    Type.Null(),
    Type.Object({ type: Type.String(), id: Type.String() }),
    Type.Array(Type.Object({ type: Type.String(), id: Type.String() })),
  ])),
  links: Type.Optional(Type.Object({ related: Type.Optional(Type.String()), self: Type.Optional(Type.String()) })),
});

/** A resource object as the server sends it; only the declared attributes are ever serialized. */
export function resourceObject<A extends TProperties>(type: string, attributes: A, relationships: readonly string[] = []) {
  return Type.Object({
    type: Type.Literal(type),
    id: Type.String(),
    attributes: Type.Object(attributes),
    ...(relationships.length
      ? { relationships: Type.Object(Object.fromEntries(relationships.map((name) => [name, RelationshipOut]))) }
      : {}),
    links: Type.Optional(Type.Object({ self: Type.String() })),
  });
}

const JsonApiVersion = Type.Object({ version: Type.String() });
const AnyResource = Type.Object({}, { additionalProperties: true });

// Typed as a bare TSchema: documents are built by the generic helpers in document.ts, and the schema's
// job is validation-free serialization and the OpenAPI document, not handler typing.
export function singleResponse(resource: TObject): TSchema {
  return Type.Object({
    data: resource,
    included: Type.Optional(Type.Array(AnyResource)),
    links: Type.Optional(Type.Object({ self: Type.String() })),
    meta: Type.Optional(Type.Object({}, { additionalProperties: true })),
    jsonapi: JsonApiVersion,
  });
}

export function collectionResponse(resource: TObject): TSchema {
  return Type.Object({
    data: Type.Array(resource),
    included: Type.Optional(Type.Array(AnyResource)),
    meta: Type.Object({ count: Type.Integer() }),
    links: Type.Object({
      self: Type.String(),
      first: Type.String(),
      prev: Nullable(Type.String()),
      next: Nullable(Type.String()),
      last: Type.String(),
    }),
    jsonapi: JsonApiVersion,
  });
}

export const ErrorDocument = Type.Object({
  errors: Type.Array(
    Type.Object({
      status: Type.String(),
      title: Type.String(),
      detail: Type.String(),
      source: Type.Optional(
        Type.Object({ pointer: Type.Optional(Type.String()), parameter: Type.Optional(Type.String()) }),
      ),
    }),
  ),
  jsonapi: JsonApiVersion,
});

/** The list parameters every collection route accepts, for validation and for the OpenAPI document. */
export const ListQuerystring = Type.Object(
  {
    'page[size]': Type.Optional(Type.String({ description: 'Items per page, 1–100 (default 20)' })),
    'page[number]': Type.Optional(Type.String({ description: 'Page number, from 1' })),
    sort: Type.Optional(Type.String({ description: 'Comma-separated fields, `-` for descending: `-starts-at,title`' })),
    include: Type.Optional(Type.String({ description: 'Comma-separated relationship paths: `speakers,track`' })),
    filter: Type.Optional(
      Type.String({
        description:
          'OES JSON filter: `[{"name":"state","op":"eq","val":"accepted"}]`. At most 50 conditions; text values up to 1000 characters; ' +
          'up to 5 `like`/`ilike` patterns of at most 64 characters and 6 wildcards, matched within the first 500 characters of a text',
      }),
    ),
  },
  { additionalProperties: true },
);

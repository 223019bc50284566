// Attributes and relationships a resource does not have are ignored, as OES (marshmallow 2) ignores
// them: OES's web client sends every attribute of its models on every create and update, some of which
// a resource here lacks. Refusing them would make the client unusable; storing them is impossible. So
// they are taken out of the body before validation — the handler never sees them — and named in the
// answer's top-level `meta`, so a typo (`titel`) is visible to whoever looks. Values of the members a
// resource does have are validated as before.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The member names a `resourceBody` schema declares, recorded when the schema is built. */
export interface DeclaredMembers {
  attributes: ReadonlySet<string>;
  relationships: ReadonlySet<string>;
}

const declaredBySchema = new WeakMap<object, DeclaredMembers>();

/** Marks `schema` as a resource body whose undeclared attributes and relationships are ignored. */
export function ignoreUndeclaredMembers<S extends object>(schema: S, declared: DeclaredMembers): S {
  declaredBySchema.set(schema, declared);
  return schema;
}

export interface IgnoredMembers {
  'ignored-attributes'?: string[];
  'ignored-relationships'?: string[];
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Removes the members of `container` not in `declared`, returning their names. */
function removeUndeclared(container: unknown, declared: ReadonlySet<string>): string[] {
  if (!isPlainObject(container)) return [];
  const undeclared = Object.keys(container).filter((name) => !declared.has(name));
  for (const name of undeclared) delete container[name];
  return undeclared;
}

/**
 * Takes what `declared` does not name out of a resource body's `data.attributes` and
 * `data.relationships`, and says what was taken (nothing: `undefined`).
 */
export function removeIgnoredMembers(body: unknown, declared: DeclaredMembers): IgnoredMembers | undefined {
  if (!isPlainObject(body) || !isPlainObject(body.data)) return undefined;
  const attributes = removeUndeclared(body.data.attributes, declared.attributes);
  const relationships = removeUndeclared(body.data.relationships, declared.relationships);
  if (!attributes.length && !relationships.length) return undefined;
  return {
    ...(attributes.length ? { 'ignored-attributes': attributes } : {}),
    ...(relationships.length ? { 'ignored-relationships': relationships } : {}),
  };
}

/** Adds the ignored names to a JSON:API document's top-level `meta`, keeping what is there. */
export function withIgnoredInMeta(document: unknown, ignored: IgnoredMembers): unknown {
  if (!isPlainObject(document) || !('data' in document)) return document;
  const meta = isPlainObject(document.meta) ? document.meta : {};
  return { ...document, meta: { ...meta, ...ignored } };
}

const ignoredByRequest = new WeakMap<FastifyRequest, IgnoredMembers>();

/** The hooks: strip before validation, report in the successful answer. */
export function registerIgnoredMembers(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const schema = request.routeOptions.schema?.body;
    const declared = schema && typeof schema === 'object' ? declaredBySchema.get(schema) : undefined;
    if (!declared) return;
    const ignored = removeIgnoredMembers(request.body, declared);
    if (ignored) ignoredByRequest.set(request, ignored);
  });

  app.addHook('preSerialization', async (request, reply, payload) => {
    const ignored = ignoredByRequest.get(request);
    if (!ignored || reply.statusCode >= 300) return payload;
    return withIgnoredInMeta(payload, ignored);
  });
}

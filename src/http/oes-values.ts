// Values as OES's schemas (marshmallow 2) take them, turned into the JSON types our schemas check:
// booleans also as "true"/"false", numbers also as decimal text ("1.23456789"), and `null` for a
// flag or a count the client leaves unset (ember-data sends every attribute of its model) meaning
// "not given". Conversion runs before validation, so the ranges and patterns of the attribute's own
// schema still judge the converted value.
import type { FastifyRequest, preValidationHookHandler } from 'fastify';
import { Value } from 'typebox/value';
import type { FieldKind } from '../domain/list-query.ts';
import type { AttributeTable } from './resource/attributes.ts';

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;
const INTEGER = /^\s*-?\d+\s*$/;

function converted(value: unknown, kind: FieldKind): unknown {
  if (typeof value !== 'string') return value;
  switch (kind) {
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'integer':
      return INTEGER.test(value) ? Number(value) : value;
    case 'number':
      return NUMBER.test(value) ? Number(value) : value;
    default:
      return value;
  }
}

/**
 * Rewrites `data.attributes` of a JSON:API body in place. `kinds` names each attribute's kind;
 * `unsetByNull` those whose `null` means "leave as it is" (columns that cannot be null).
 */
export function acceptOesValues(kinds: Record<string, FieldKind>, unsetByNull: ReadonlySet<string>) {
  return async (request: FastifyRequest) => {
    const attributes = (request.body as { data?: { attributes?: unknown } } | undefined)?.data?.attributes;
    if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return;
    const values = attributes as Record<string, unknown>;
    for (const [name, kind] of Object.entries(kinds)) {
      if (!Object.hasOwn(values, name)) continue;
      if (values[name] === null && unsetByNull.has(name)) delete values[name];
      else values[name] = converted(values[name], kind);
    }
  };
}

/**
 * The same rewrite for a resource described by an attribute table: each writable attribute converted by
 * its kind, and `null` taken as "not given" wherever the attribute's own schema does not allow null.
 */
export function acceptOesAttributes(table: AttributeTable): preValidationHookHandler {
  const writable = Object.entries(table).filter(([, spec]) => spec.input);
  const kinds = Object.fromEntries(writable.map(([name, spec]) => [name, spec.kind as FieldKind]));
  const unsetByNull = new Set(writable.filter(([, spec]) => !Value.Check(spec.input!, null)).map(([name]) => name));
  const rewrite = acceptOesValues(kinds, unsetByNull);
  return (request, _reply, done) => {
    rewrite(request).then(() => done(), done);
  };
}

/**
 * A JSON filter tree with "true"/"false" given for boolean fields made real booleans (OES compares
 * them as strings coerced by SQLAlchemy; the home page sends both forms). Returns the tree as text.
 */
export function filterWithOesValues(raw: string, kinds: Record<string, FieldKind>, rewrite?: (node: Record<string, unknown>) => unknown): string {
  let tree: unknown;
  try {
    tree = JSON.parse(raw);
  } catch {
    return raw; // the list parser answers malformed JSON with its own 400
  }
  const walk = (node: unknown, depth: number): unknown => {
    if (depth > 20 || typeof node !== 'object' || node === null) return node;
    if (Array.isArray(node)) return node.map((child) => walk(child, depth + 1));
    const object = node as Record<string, unknown>;
    if (Array.isArray(object.or)) return { ...object, or: walk(object.or, depth + 1) };
    if (Array.isArray(object.and)) return { ...object, and: walk(object.and, depth + 1) };
    if ('not' in object) return { ...object, not: walk(object.not, depth + 1) };
    const rewritten = rewrite?.(object);
    if (rewritten !== undefined) return rewritten;
    if (typeof object.name !== 'string') return object;
    const kind = kinds[object.name.replaceAll('_', '-')];
    if (kind !== 'boolean') return object;
    const val = Array.isArray(object.val) ? object.val.map((v) => converted(v, kind)) : converted(object.val, kind);
    return { ...object, val };
  };
  return JSON.stringify(walk(tree, 0));
}

// Attribute values in the forms OES's schemas (marshmallow 2) take and its web client sends: booleans
// also as "true"/"false", numbers also as digits in text ("12.50", "3"), and `null` for an attribute
// whose value cannot be null meaning "not given" (ember-data sends every attribute of its model, unset
// ones as null). Each value is turned into its JSON type before the request is validated, so the
// attribute's own schema still judges it.
import type { preValidationHookHandler } from 'fastify';
import { Value } from 'typebox/value';
import type { AttributeTable } from './attributes.ts';

const NUMBER = /^\s*-?\d+(\.\d+)?\s*$/;

function converted(value: unknown, kind: string): unknown {
  if (typeof value !== 'string') return value;
  if (kind === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if ((kind === 'integer' || kind === 'number') && NUMBER.test(value)) return Number(value);
  return value;
}

/** A hook that rewrites `data.attributes` of a request body in place, for the attributes of `table`. */
export function acceptOesValues(table: AttributeTable): preValidationHookHandler {
  const writable = Object.entries(table).filter(([, spec]) => spec.input);
  const nullMeansUnset = new Set(writable.filter(([, spec]) => !Value.Check(spec.input!, null)).map(([name]) => name));
  return (request, _reply, done) => {
    const attributes = (request.body as { data?: { attributes?: unknown } } | undefined)?.data?.attributes;
    if (typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)) {
      const values = attributes as Record<string, unknown>;
      for (const [name, spec] of writable) {
        if (!Object.hasOwn(values, name)) continue;
        if (values[name] === null && nullMeansUnset.has(name)) delete values[name];
        else values[name] = converted(values[name], spec.kind);
      }
    }
    done();
  };
}

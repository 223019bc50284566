// OES's API Blueprint examples as expectations (issue 14): an example response's shape is its resource
// `type`, its attribute keys and its relationship names. openevent answers with at least those keys; where
// it deliberately does not, the test names the key with the reason, and the helper checks that the
// exception still holds (an exception that no longer applies fails, so the list stays true).
import { expect } from 'vitest';
import type { TestResponse } from './app.ts';

export interface BlueprintShape {
  type: string;
  /** Every attribute key of OES's example response. */
  attributes: readonly string[];
  /** Every relationship name of OES's example response. */
  relationships: readonly string[];
}

/** Keys of OES's example openevent deliberately leaves out, each with the reason. */
export type Exceptions = Readonly<Record<string, string>>;

/** Asserts one resource object has the example's type, attribute keys and relationship names. */
export function expectShape(resource: any, shape: BlueprintShape, exceptions: Exceptions = {}, what = shape.type) {
  expect(resource, `${what}: no resource`).toBeTruthy();
  expect(resource.type, what).toBe(shape.type);
  expect(typeof resource.id, `${what}: id`).toBe('string');
  const attributes = Object.keys(resource.attributes ?? {});
  const relationships = Object.keys(resource.relationships ?? {});
  for (const name of shape.attributes) {
    if (name in exceptions) expect(attributes, `${what}: "${name}" is left out (${exceptions[name]})`).not.toContain(name);
    else expect(attributes, `${what}: attribute "${name}" of OES's example`).toContain(name);
  }
  for (const name of shape.relationships) {
    if (name in exceptions) expect(relationships, `${what}: "${name}" is left out (${exceptions[name]})`).not.toContain(name);
    else expect(relationships, `${what}: relationship "${name}" of OES's example`).toContain(name);
  }
}

/** Asserts the status and that the document's data (one resource, or each of a non-empty list) has the shape. */
export function expectDocument(response: TestResponse, status: number, shape: BlueprintShape, exceptions: Exceptions = {}, what = shape.type) {
  expect(response.status, `${what}: ${response.text.slice(0, 600)}`).toBe(status);
  expect(response.body?.jsonapi, `${what}: jsonapi`).toEqual({ version: '1.0' });
  const data = response.body.data;
  if (Array.isArray(data)) {
    expect(data.length, `${what}: an empty list proves nothing`).toBeGreaterThan(0);
    for (const item of data) expectShape(item, shape, exceptions, what);
  } else {
    expectShape(data, shape, exceptions, what);
  }
  return data;
}

/** OES's answer to a DELETE: 200 with its message. */
export function expectDeleted(response: TestResponse, what: string) {
  expect(response.status, `${what}: ${response.text.slice(0, 400)}`).toBe(200);
  expect(response.body, what).toEqual({ meta: { message: 'Object successfully deleted' }, jsonapi: { version: '1.0' } });
}

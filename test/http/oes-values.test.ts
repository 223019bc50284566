// OES's value forms read before validation: "true"/"false" for booleans, decimal text for numbers,
// null meaning "not given" where a value cannot be null; filter trees get the same reading.
import { describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { acceptOesValues, filterWithOesValues } from '../../src/http/oes-values.ts';

const kinds = { online: 'boolean', latitude: 'number', 'order-expiry-time': 'integer', name: 'text' } as const;

async function read(attributes: Record<string, unknown>) {
  const body = { data: { type: 'event', attributes } };
  await acceptOesValues(kinds, new Set(['online', 'order-expiry-time']))({ body } as FastifyRequest);
  return body.data.attributes;
}

describe('acceptOesValues', () => {
  it('turns OES’s text forms into JSON values and leaves anything else for validation to judge', async () => {
    expect(await read({ online: 'true', latitude: '1.23456789', 'order-expiry-time': '15', name: 'true' })).toEqual({
      online: true,
      latitude: 1.23456789,
      'order-expiry-time': 15,
      name: 'true',
    });
    expect(await read({ online: 'yes', latitude: 'north', 'order-expiry-time': '1.5' })).toEqual({ online: 'yes', latitude: 'north', 'order-expiry-time': '1.5' });
  });

  it('drops null where it means “not given” and keeps it where null is a value', async () => {
    expect(await read({ online: null, 'order-expiry-time': null, latitude: null, name: null })).toEqual({ latitude: null, name: null });
  });
});

describe('filterWithOesValues', () => {
  it('reads "true" and "false" on boolean fields at any depth, and nothing else', () => {
    const tree = [{ and: [{ name: 'online', op: 'eq', val: 'true' }, { or: [{ name: 'name', op: 'eq', val: 'true' }, { not: { name: 'online', op: 'in', val: ['false'] } }] }] }];
    expect(JSON.parse(filterWithOesValues(JSON.stringify(tree), kinds))).toEqual([
      { and: [{ name: 'online', op: 'eq', val: true }, { or: [{ name: 'name', op: 'eq', val: 'true' }, { not: { name: 'online', op: 'in', val: [false] } }] }] },
    ]);
  });

  it('leaves malformed JSON for the list parser to refuse', () => {
    expect(filterWithOesValues('[{', kinds)).toBe('[{');
  });
});

// Building JSON:API documents. Route code hands over plain resource objects (already dasherized by the
// resource's own serializer); this file adds the envelope, links and meta that every answer shares.

import { dasherize, type Page } from '../../domain/names.ts';

export { camelize, dasherize, type Page } from '../../domain/names.ts';

export const MEDIA_TYPE = 'application/vnd.api+json';
export const JSONAPI = { version: '1.0' } as const;

export interface ResourceIdentifier {
  type: string;
  id: string;
}

export interface Relationship {
  /** Absent for relationships given only as a link (an event's sessions: too many to list inline). */
  data?: ResourceIdentifier | ResourceIdentifier[] | null;
  links?: { related?: string; self?: string };
}

export interface ResourceObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, Relationship>;
  links?: { self: string };
}

export function identifier(type: string, id: number | string | null | undefined): ResourceIdentifier | null {
  return id === null || id === undefined ? null : { type, id: String(id) };
}



/** Picks the named camelCase fields of a row as dasherized attributes, `null` where unset. */
export function attributesOf<Row extends object>(row: Row, fields: readonly (keyof Row & string)[]) {
  const attributes: Record<string, unknown> = {};
  for (const field of fields) {
    const value = row[field];
    attributes[dasherize(field)] = value instanceof Date ? instant(value) : (value ?? null);
  }
  return attributes;
}

/** Instants go out as RFC 3339 in UTC without milliseconds when there are none. */
export function instant(value: Date | null | undefined): string | null {
  if (!value) return null;
  const iso = value.toISOString();
  return iso.endsWith('.000Z') ? iso.slice(0, -5) + 'Z' : iso;
}

export function singleDocument(data: ResourceObject, extra: { included?: ResourceObject[]; meta?: object } = {}) {
  return {
    data,
    ...(extra.included?.length ? { included: extra.included } : {}),
    ...(extra.meta ? { meta: extra.meta } : {}),
    ...(data.links ? { links: { self: data.links.self } } : {}),
    jsonapi: JSONAPI,
  };
}


/**
 * A page of a collection with `meta.count` and `links.self/first/prev/next/last`, built from the request
 * URL so every other query parameter (filter, sort, include) carries over.
 */
export function collectionDocument(
  data: ResourceObject[],
  options: { count: number; page: Page; url: string; included?: ResourceObject[] },
) {
  const { count, page } = options;
  // Size 0 is "everything on one page" (OES's page[size]=0).
  const last = page.size === 0 ? 1 : Math.max(1, Math.ceil(count / page.size));
  const linkTo = (number: number) => pageUrl(options.url, number, page.size);
  return {
    data,
    ...(options.included?.length ? { included: options.included } : {}),
    meta: { count },
    links: {
      self: linkTo(page.number),
      first: linkTo(1),
      prev: page.number > 1 ? linkTo(Math.min(page.number - 1, last)) : null,
      next: page.number < last ? linkTo(page.number + 1) : null,
      last: linkTo(last),
    },
    jsonapi: JSONAPI,
  };
}

function pageUrl(requestUrl: string, number: number, size: number): string {
  const url = new URL(requestUrl, 'http://placeholder');
  url.searchParams.set('page[number]', String(number));
  url.searchParams.set('page[size]', String(size));
  return url.pathname + url.search;
}

// Parses the list parameters of JSON:API requests into SQL: `page[size]`, `page[number]`,
// `sort=-starts-at,title`, `include=a,b.c` and OES's JSON `filter`
// (`[{"name":"state","op":"eq","val":"accepted"}]`, flask-rest-jsonapi's syntax). Only the fields a
// resource declares can be filtered or sorted on; values are always bound as parameters.
//
// Every list query must stay cheap whatever the parameters, because PGlite runs queries on the event
// loop and cannot cancel them (it ignores statement_timeout): one slow query stalls every request.
// So values are bounded before they reach SQL: text lengths, `like` patterns (PostgreSQL's LIKE does
// up to text × pattern comparisons per row), the number of conditions, and what text is compared
// when sorting or matching (a prefix of long texts such as abstracts).
import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  ilike,
  inArray,
  like,
  lt,
  lte,
  ne,
  not,
  or,
  sql,
  type SQL,
  type Column,
} from 'drizzle-orm';
import { InvalidError, MalformedError } from './errors.ts';
import { camelize, dasherize, type Page } from './names.ts';
import { readInstant } from './instant.ts';
import { cleanText } from './text.ts';

export type FieldKind = 'text' | 'integer' | 'number' | 'boolean' | 'instant';

export interface FieldSpec {
  column: Column | SQL;
  kind: FieldKind;
}

export interface RelationshipFilterSpec {
  /** `has` for to-one relationships, `any` for to-many (flask-rest-jsonapi's convention). */
  kind: 'one' | 'many';
  fields: () => Record<string, FieldSpec>;
  /** The related rows' own relationships a filter may go on through (`followers any {user has …}`). */
  relationships?: () => Record<string, RelationshipFilterSpec>;
  /** `EXISTS (…)` matching related rows on which `where` holds. */
  exists(where: SQL | undefined): SQL;
}

export interface ListSpec {
  /** Filterable and sortable fields, keyed by dasherized attribute name (plus `id`). */
  fields: Record<string, FieldSpec>;
  relationships?: Record<string, RelationshipFilterSpec>;
  /** Include paths the resource can resolve, e.g. `speakers`, `track`, `sessions.speakers`. */
  includes?: readonly string[];
  defaultSort: SQL[];
  /**
   * Largest `page[size]` (default MAX_PAGE_SIZE): resources an event has few of, which OES's client
   * reads in one page of several hundred (custom forms with `page[size]=700`), allow more.
   */
  maxPageSize?: number;
}

export interface ListQuery {
  page: Page;
  limit: number;
  offset: number;
  where: SQL | undefined;
  orderBy: SQL[];
  include: string[];
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/**
 * `page[size]=0` asks for every row, as OES allows (its client lists an event's tracks, rooms and
 * speakers that way). The work of one such request is bounded: it reads at most this many rows, and a
 * list longer than that is refused (422) rather than cut short, so nobody mistakes part for all.
 */
export const UNPAGED_LIMIT = 5000;

/** Longest text value a filter compares with (`eq`, `lt`, `in`…). */
export const MAX_FILTER_TEXT = 1000;
/** Longest `like`/`ilike` pattern, and the most `%`/`_` wildcards in one: search boxes send a few words. */
export const MAX_LIKE_PATTERN = 64;
export const MAX_LIKE_WILDCARDS = 6;
/**
 * `like`/`ilike` match within the first this-many characters of a value, and text sorts on them: a
 * match costs up to value length × pattern length per row, and a sort on 100,000-character abstracts
 * would compare (and spill to disk) whole abstracts. Names, titles and emails fit well within it.
 */
export const TEXT_PREFIX_COMPARED = 500;
/** Conditions in one filter (leaves of and/or/not), and how many of them may be `like`/`ilike`. */
export const MAX_FILTER_CONDITIONS = 50;
export const MAX_LIKE_CONDITIONS = 5;
/** Fields in one `sort`. */
export const MAX_SORT_TERMS = 10;
/** PostgreSQL's `integer`: what id and count columns hold. */
const INTEGER_RANGE = [-2_147_483_648, 2_147_483_647] as const;

type RawQuery = Record<string, unknown>;

/** A declared field or relationship by name: own properties only (`constructor` is not a field). */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The part of a text column that sorting and `like` look at (see TEXT_PREFIX_COMPARED). */
function comparedText(column: Column | SQL): SQL {
  return sql`substr(${column}, 1, ${sql.raw(String(TEXT_PREFIX_COMPARED))})`;
}

const param = (parameter: string) => ({ parameter });

function single(query: RawQuery, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new MalformedError(`${name} was given more than once`, param(name));
  return String(value);
}

function positiveInteger(query: RawQuery, name: string, fallback: number, max: number): number {
  const raw = single(query, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new InvalidError(`${name} must be a whole number from 1 to ${max}, got "${raw}"`, param(name));
  }
  return Number(raw);
}

export function parsePage(query: RawQuery, maxSize = MAX_PAGE_SIZE): Page {
  return {
    size: positiveInteger(query, 'page[size]', DEFAULT_PAGE_SIZE, maxSize),
    number: positiveInteger(query, 'page[number]', 1, 1_000_000),
  };
}

export function parseInclude(query: RawQuery, allowed: readonly string[] = []): string[] {
  const raw = single(query, 'include');
  if (raw === undefined || raw === '') return [];
  const paths = [...new Set(raw.split(',').map((path) => path.trim()))];
  for (const path of paths) {
    if (!allowed.includes(path)) {
      const choices = allowed.length ? `; choose from ${allowed.join(', ')}` : '; this resource has none';
      throw new MalformedError(`Cannot include "${path}"${choices}`, param('include'));
    }
  }
  return paths;
}

function fieldName(name: string): string {
  // Accept OES's snake_case names as well as dasherized and camelCase ones.
  return dasherize(camelize(name));
}

export function parseSort(query: RawQuery, spec: ListSpec): SQL[] {
  const raw = single(query, 'sort');
  if (raw === undefined || raw === '') return spec.defaultSort;
  const terms = raw.split(',');
  // More would only repeat fields, and the URL could carry thousands of terms into one ORDER BY.
  if (terms.length > MAX_SORT_TERMS) throw new MalformedError(`sort takes at most ${MAX_SORT_TERMS} fields`, param('sort'));
  const orderBy = terms.map((term) => {
    const descending = term.startsWith('-');
    const name = fieldName(descending ? term.slice(1) : term);
    const field = own(spec.fields, name);
    if (!field) {
      throw new MalformedError(`Cannot sort by "${name}"; choose from ${Object.keys(spec.fields).join(', ')}`, param('sort'));
    }
    const key = field.kind === 'text' ? comparedText(field.column) : field.column;
    return descending ? desc(key) : asc(key);
  });
  // The default order breaks ties, so pages never overlap or skip rows.
  return [...orderBy, ...spec.defaultSort];
}

function filterError(detail: string): InvalidError {
  return new InvalidError(detail, param('filter'));
}

function coerce(value: unknown, field: FieldSpec, name: string): unknown {
  const fail = () => filterError(`filter on "${name}" needs a ${field.kind} value, got ${JSON.stringify(value)}`);
  switch (field.kind) {
    case 'text':
      if (typeof value !== 'string') throw fail();
      if (value.length > MAX_FILTER_TEXT) {
        throw filterError(`filter on "${name}" compares with at most ${MAX_FILTER_TEXT} characters, got ${value.length}`);
      }
      return cleanText(value);
    case 'integer': {
      const number = typeof value === 'string' && /^-?\d{1,20}$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number)) throw fail();
      if (number < INTEGER_RANGE[0] || number > INTEGER_RANGE[1]) {
        throw filterError(`filter on "${name}" needs a whole number from ${INTEGER_RANGE[0]} to ${INTEGER_RANGE[1]}, got ${JSON.stringify(value)}`);
      }
      return number;
    }
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) throw fail();
      return number;
    }
    case 'boolean':
      // OES's client sends booleans in filters as text: {"name":"is-featured","op":"eq","val":"true"}.
      if (value === 'true' || value === 'false') return value === 'true';
      if (typeof value !== 'boolean') throw fail();
      return value;
    case 'instant': {
      if (typeof value !== 'string') throw fail();
      const { date, problem } = readInstant(value);
      if (!date) throw filterError(`filter on "${name}": ${JSON.stringify(value.slice(0, 40))} ${problem}`);
      return date;
    }
  }
}

const COMPARISONS = new Map([
  ['eq', eq],
  ['ne', ne],
  ['lt', lt],
  ['le', lte],
  ['gt', gt],
  ['ge', gte],
]);

/** What one filter has used so far, against MAX_FILTER_CONDITIONS and MAX_LIKE_CONDITIONS. */
interface Budget {
  conditions: number;
  likes: number;
}

function likePattern(val: unknown, op: string, key: string): string {
  if (typeof val !== 'string') throw filterError(`filter op "${op}" works on text fields with a text pattern`);
  if (val.length > MAX_LIKE_PATTERN) {
    throw filterError(`filter op "${op}" on "${key}" takes a pattern of at most ${MAX_LIKE_PATTERN} characters, got ${val.length}`);
  }
  const pattern = cleanText(val);
  const wildcards = pattern.match(/[%_]/g)?.length ?? 0;
  if (wildcards > MAX_LIKE_WILDCARDS) {
    throw filterError(`filter op "${op}" on "${key}" takes at most ${MAX_LIKE_WILDCARDS} wildcards (% or _), got ${wildcards}`);
  }
  // `\` escapes the next character; PostgreSQL refuses a pattern that ends in a lone one.
  if (/(^|[^\\])(\\\\)*\\$/.test(pattern)) {
    throw filterError(`filter op "${op}" on "${key}": a pattern cannot end with a lone \\ (write \\\\ for a backslash)`);
  }
  return pattern;
}

function condition(node: unknown, spec: Pick<ListSpec, 'fields' | 'relationships'>, depth: number, budget: Budget): SQL {
  if (depth > 5) throw filterError('filter is nested too deeply');
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw filterError('each filter must be an object like {"name":"state","op":"eq","val":"accepted"}');
  }
  const object = node as Record<string, unknown>;
  if ('or' in object || 'and' in object) {
    const list = object.or ?? object.and;
    if (!Array.isArray(list) || list.length === 0) throw filterError('"or" and "and" take a non-empty list of filters');
    const parts = list.map((child) => condition(child, spec, depth + 1, budget));
    return ('or' in object ? or(...parts) : and(...parts))!;
  }
  if ('not' in object) return not(condition(object.not, spec, depth + 1, budget));

  const { name, op, val } = object;
  if (typeof name !== 'string' || typeof op !== 'string') {
    throw filterError('each filter needs "name" and "op" (and "val")');
  }
  if (++budget.conditions > MAX_FILTER_CONDITIONS) {
    throw filterError(`filter takes at most ${MAX_FILTER_CONDITIONS} conditions`);
  }
  const key = fieldName(name);
  const relationship = own(spec.relationships, key);
  if (relationship) {
    const expected = relationship.kind === 'one' ? 'has' : 'any';
    if (op !== expected) throw filterError(`filter on relationship "${key}" takes op "${expected}"`);
    return relationship.exists(condition(val, { fields: relationship.fields(), relationships: relationship.relationships?.() }, depth + 1, budget));
  }
  const field = own(spec.fields, key);
  if (!field) {
    const choices = [...Object.keys(spec.fields), ...Object.keys(spec.relationships ?? {})];
    throw filterError(`Cannot filter on "${name}"; choose from ${choices.join(', ')}`);
  }
  const compare = COMPARISONS.get(op);
  if (compare) {
    if (val === null && (op === 'eq' || op === 'ne')) {
      return op === 'eq' ? sql`${field.column} IS NULL` : sql`${field.column} IS NOT NULL`;
    }
    return compare(field.column as Column, coerce(val, field, key));
  }
  switch (op) {
    case 'in':
    case 'notin_': {
      if (!Array.isArray(val) || val.length === 0 || val.length > 1000) {
        throw filterError(`filter op "in" on "${key}" takes a list of 1 to 1000 values`);
      }
      const values = val.map((v) => coerce(v, field, key));
      return op === 'in' ? inArray(field.column as Column, values) : not(inArray(field.column as Column, values));
    }
    case 'like':
    case 'ilike': {
      if (field.kind !== 'text') throw filterError(`filter op "${op}" works on text fields with a text pattern`);
      const pattern = likePattern(val, op, key);
      if (++budget.likes > MAX_LIKE_CONDITIONS) {
        throw filterError(`filter takes at most ${MAX_LIKE_CONDITIONS} like or ilike conditions`);
      }
      const text = comparedText(field.column);
      return op === 'like' ? like(text, pattern) : ilike(text, pattern);
    }
    case 'any':
    case 'has':
      throw filterError(`filter op "${op}" works on relationships, and "${key}" is an attribute`);
    default:
      throw filterError(`Unknown filter op "${op}"; use eq, ne, in, lt, le, gt, ge, like, ilike, any or has`);
  }
}

export function parseFilter(query: RawQuery, spec: Pick<ListSpec, 'fields' | 'relationships'>): SQL | undefined {
  const raw = single(query, 'filter');
  if (raw === undefined || raw === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new MalformedError('filter must be JSON, e.g. [{"name":"state","op":"eq","val":"accepted"}]', param('filter'));
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0) return undefined;
  const budget: Budget = { conditions: 0, likes: 0 };
  return and(...list.map((node) => condition(node, spec, 0, budget)));
}

export function parseListQuery(query: RawQuery, spec: ListSpec): ListQuery {
  const unpaged = query['page[size]'] === '0';
  const page = unpaged ? { size: 0, number: 1 } : parsePage(query, spec.maxPageSize);
  return {
    page,
    limit: unpaged ? UNPAGED_LIMIT : page.size,
    offset: (page.number - 1) * page.size,
    where: parseFilter(query, spec),
    orderBy: parseSort(query, spec),
    include: parseInclude(query, spec.includes),
  };
}

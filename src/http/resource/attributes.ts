// Attribute tables: each resource lists its attributes once (dasherized name → column, input schema,
// filter kind, who may see it), and this file derives everything else from that list: the input
// schema, reading a request's attributes into column values, serializing a row for a viewer, and the
// filter/sort fields of its lists.
import { Type, type TSchema } from 'typebox';
import Value from 'typebox/value';
import { instant } from '../jsonapi/document.ts';
import { readInstant } from '../../domain/instant.ts';
import { attributePointer, unprocessable } from '../jsonapi/errors.ts';
import type { FieldKind, FieldSpec } from '../../domain/list-query.ts';

/** `Column` names the keys of the rows the attributes are read from: any other column is a type error. */
export interface AttributeSpec<Column extends string = string> {
  /** camelCase key of the row / table column. */
  column: Column;
  kind: FieldKind;
  /** A structured value kept as sent (OES's custom-form answers, slides): neither filtered nor sorted on. */
  json?: boolean;
  /** Schema of a value a client may send; absent for read-only attributes. */
  input?: TSchema;
  /** Must be given on create. */
  required?: boolean;
  /** Seen (and filtered on) only by the event's team: comments, contact details. */
  teamOnly?: boolean;
}

export type AttributeTable<Column extends string = string> = Record<string, AttributeSpec<Column>>;

// OES's schemas (marshmallow) take booleans as "true"/"false", numbers as strings, and `null` for any
// optional value a client leaves unset (ember-data sends every attribute of its model). The body
// schema lets those through; readAttributes turns them into values and checks them against `input`.
const BOOLEAN_TEXT = Type.Union([Type.Literal('true'), Type.Literal('false')]);
const NUMBER_PATTERN = '^\\s*-?(\\d+\\.?\\d*|\\.\\d+)\\s*$';
const NUMBER_TEXT = Type.String({ pattern: NUMBER_PATTERN, maxLength: 40 });

function acceptedInput(spec: AttributeSpec, oesValues: boolean): TSchema {
  if (!spec.input) return Type.Unknown();
  if (!oesValues) return spec.input;
  const forms = [spec.input];
  if (spec.kind === 'boolean') forms.push(BOOLEAN_TEXT);
  if (spec.kind === 'integer' || spec.kind === 'number') forms.push(NUMBER_TEXT);
  if (!spec.required) forms.push(Type.Null());
  return forms.length === 1 ? spec.input : Type.Union(forms);
}

/**
 * Properties for a request body schema: writable attributes optional, read-only ones ignored. With
 * `oesValues`, values also as OES's schemas take them (see above; the event-child resources do).
 */
export function inputProperties<Column extends string>(attributes: AttributeTable<Column>, options: { oesValues?: boolean } = {}): Record<string, TSchema> {
  return Object.fromEntries(Object.entries(attributes).map(([name, spec]) => [name, Type.Optional(acceptedInput(spec, !!options.oesValues))]));
}

/** A value as OES's schema would load it: "true" → true, "12" → 12 for the attribute's kind. */
function loaded(spec: AttributeSpec, value: unknown): unknown {
  // An attribute that takes text itself (a price, read exactly from its decimal digits) keeps it.
  if (typeof value !== 'string' || Value.Check(spec.input!, value)) return value;
  if (spec.kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if ((spec.kind === 'integer' || spec.kind === 'number') && new RegExp(NUMBER_PATTERN).test(value)) return Number(value);
  return value;
}

/** Output schema properties, so the serializer never sends an undeclared field. */
export function outputProperties<Column extends string>(attributes: AttributeTable<Column>): Record<string, TSchema> {
  const schemaOf = (kind: FieldKind): TSchema => {
    switch (kind) {
      case 'text':
      case 'instant':
        return Type.String();
      case 'integer':
        return Type.Integer();
      case 'number':
        return Type.Number();
      case 'boolean':
        return Type.Boolean();
    }
  };
  return Object.fromEntries(
    Object.entries(attributes).map(([name, spec]) => {
      const schema = spec.json ? Type.Unknown() : Type.Union([schemaOf(spec.kind), Type.Null()]);
      return [name, spec.teamOnly ? Type.Optional(schema) : schema];
    }),
  );
}

/**
 * Column values from a request's attributes: only writable ones, instants parsed. Read-only
 * attributes a client sends back are dropped here.
 */
export function readAttributes<Column extends string>(
  attributes: AttributeTable<Column>,
  given: Record<string, unknown> | undefined,
  options: { create: boolean; oesValues?: boolean },
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(attributes)) {
    if (!spec.input) continue;
    const value = given?.[name];
    if (value === undefined) {
      if (options.create && spec.required) throw unprocessable(`"${name}" is required`, attributePointer(name));
      continue;
    }
    if (spec.required && (value === null || value === '')) {
      throw unprocessable(`"${name}" cannot be empty`, attributePointer(name));
    }
    // null where the attribute has no "unset" value (a position, a state): as if not sent, so the
    // default (on create) or the stored value stays.
    if (options.oesValues && value === null && !Value.Check(spec.input, null)) continue;
    const typed = options.oesValues ? loaded(spec, value) : value;
    if (options.oesValues && !Value.Check(spec.input, typed)) throw unprocessable(`"${name}" has an invalid value: ${JSON.stringify(value).slice(0, 100)}`, attributePointer(name));
    if (spec.kind === 'instant' && typeof typed === 'string') {
      const { date, problem } = readInstant(typed);
      if (!date) throw unprocessable(`"${name}" ${problem}`, attributePointer(name));
      values[spec.column] = date;
    } else {
      values[spec.column] = typed;
    }
  }
  return values;
}

/** A row's attributes as this viewer may see them; team-only ones are absent, not null, for others. */
export function writeAttributes<Column extends string>(
  attributes: AttributeTable<Column>,
  row: Record<string, unknown>,
  isTeam: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(attributes)) {
    if (spec.teamOnly && !isTeam) continue;
    const value = row[spec.column];
    out[name] = value instanceof Date ? instant(value) : (value ?? null);
  }
  return out;
}

/**
 * Filterable and sortable fields of a table for this viewer (team-only fields only for the team).
 * `columns` are the table's columns by key (a Drizzle table, or its getTableColumns).
 */
export function listFields<Column extends string>(
  attributes: AttributeTable<Column>,
  columns: Readonly<Record<string, unknown>>,
  isTeam: boolean,
): Record<string, FieldSpec> {
  const fields: Record<string, FieldSpec> = { id: { column: columns.id as FieldSpec['column'], kind: 'integer' } };
  for (const [name, spec] of Object.entries(attributes)) {
    if (spec.teamOnly && !isTeam) continue;
    const column = columns[spec.column];
    if (column && !spec.json) fields[name] = { column: column as FieldSpec['column'], kind: spec.kind };
  }
  return fields;
}

// Shared input schemas.
export const Text = (maxLength = 100_000) => Type.Union([Type.String({ maxLength }), Type.Null()]);
export const RequiredText = (maxLength = 100_000) => Type.String({ minLength: 1, maxLength });
export const Url = Type.Union([Type.String({ maxLength: 2000, pattern: '^(https?://\\S+)?$' }), Type.Null()]);
export const Flag = Type.Boolean();
/** Answers to an event's custom form, kept as OES keeps them: an object of field → value. */
export const CustomFormValues = Type.Union([Type.Object({}, { additionalProperties: true, maxProperties: 500 }), Type.Null()]);
export const Position = Type.Integer({ minimum: 0, maximum: 1_000_000 });
export const Latitude = Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()]);
export const Longitude = Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()]);

// Custom forms (/v1/custom-forms, /v1/events/{ev}/custom-forms): the fields of an event's speaker,
// session and attendee forms, written by its organizers; OES's web client builds its forms from them.
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { customFormModel, FIELD_TYPES, FORMS, fieldValues, type FieldValues } from '../domain/custom-forms.ts';
import { Flag, Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';
import { registerEventChild } from './resource/routes.ts';
import type { AppContext } from './context.ts';

const Count = Type.Union([Type.Integer({ minimum: 0, maximum: 1_000_000 }), Type.Null()]);

export const customFormResource = eventChild({
  model: customFormModel,
  plural: 'custom-forms',
  // As OES: the list is for signed-in users (JWT required), and values come as OES's client sends them.
  listSignedIn: true,
  wholeListUpTo: 1000,
  oesValues: ['type', 'is-required', 'is-included', 'is-fixed', 'is-public', 'is-allow-edit', 'position'],
  attributes: {
    form: { column: 'form', kind: 'text', input: Type.Union(FORMS.map((form) => Type.Literal(form))), required: true },
    'field-identifier': { column: 'fieldIdentifier', kind: 'text', input: Type.String({ minLength: 1, maxLength: 200 }), required: true },
    type: { column: 'type', kind: 'text', input: Type.Union(FIELD_TYPES.map((type) => Type.Literal(type))) },
    name: { column: 'name', kind: 'text', input: Text(1000) },
    description: { column: 'description', kind: 'text', input: Text(10_000) },
    'is-required': { column: 'isRequired', kind: 'boolean', input: Flag },
    'is-included': { column: 'isIncluded', kind: 'boolean', input: Flag },
    'is-fixed': { column: 'isFixed', kind: 'boolean', input: Flag },
    'is-public': { column: 'isPublic', kind: 'boolean', input: Flag },
    'is-allow-edit': { column: 'isAllowEdit', kind: 'boolean', input: Flag },
    'is-complex': { column: 'isComplex', kind: 'boolean' },
    position: { column: 'position', kind: 'integer', input: Type.Integer({ minimum: 0, maximum: 1_000_000 }) },
    'form-id': { column: 'formId', kind: 'text', input: Text(200) },
    min: { column: 'min', kind: 'integer', input: Count },
    max: { column: 'max', kind: 'integer', input: Count },
    'main-language': { column: 'mainLanguage', kind: 'text', input: Text(35) },
  },
  relationships: {},
  prepare: (values, _event, row) => fieldValues(values as FieldValues, row),
});

export async function customFormRoutes(app: FastifyInstance, context: AppContext) {
  registerEventChild(app, context, customFormResource);
}

// An event's copyright (/v1/event-copyrights, /v1/events/{ev}/event-copyright) as OES has it: holder,
// licence, year and their links; at most one per event.
import { Type } from 'typebox';
import { eventCopyrightModel } from '../domain/event-extras.ts';
import { RequiredText, Text, Url } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

export const eventCopyrightResource = eventChild({
  model: eventCopyrightModel,
  plural: 'event-copyrights',
  onePerEvent: 'event-copyright',
  attributes: {
    holder: { column: 'holder', kind: 'text', input: Text(1000) },
    'holder-url': { column: 'holderUrl', kind: 'text', input: Url },
    licence: { column: 'licence', kind: 'text', input: RequiredText(1000), required: true },
    'licence-url': { column: 'licenceUrl', kind: 'text', input: Url },
    year: { column: 'year', kind: 'integer', input: Type.Union([Type.Integer({ minimum: 1900, maximum: 9999 }), Type.Null()]) },
    'logo-url': { column: 'logoUrl', kind: 'text', input: Url },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
});

// Sponsors (/v1/sponsors, /v1/events/{ev}/sponsors) as OES has them: name, description, url, level,
// type and logo, shown on the event's public page; the event's organizers write them.
import { Type } from 'typebox';
import { sponsorModel } from '../domain/event-extras.ts';
import { RequiredText, Text, Url } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

export const sponsorResource = eventChild({
  model: sponsorModel,
  plural: 'sponsors',
  // OES's client reads an event's sponsors whole (page[size]=0) on its public page and in the wizard.
  wholeListUpTo: 1000,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(1000), required: true },
    description: { column: 'description', kind: 'text', input: Text(10_000) },
    url: { column: 'url', kind: 'text', input: Url },
    level: { column: 'level', kind: 'integer', input: Type.Union([Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }), Type.Null()]) },
    type: { column: 'type', kind: 'text', input: Text(200) },
    'logo-url': { column: 'logoUrl', kind: 'text', input: Url },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
});

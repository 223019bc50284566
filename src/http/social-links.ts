// Social links (/v1/social-links, /v1/events/{ev}/social-links) as OES has them: the event's pages
// elsewhere (name, link, and the identifier OES's client keys its form fields by).
import { Type } from 'typebox';
import { socialLinkModel } from '../domain/event-extras.ts';
import { RequiredText, Text } from './resource/attributes.ts';
import { eventChild } from './resource/definition.ts';

export const socialLinkResource = eventChild({
  model: socialLinkModel,
  plural: 'social-links',
  wholeListUpTo: 1000,
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(200), required: true },
    link: { column: 'link', kind: 'text', input: Type.String({ maxLength: 2000, pattern: '^https?://\\S+$', description: 'an http(s) URL' }), required: true },
    identifier: { column: 'identifier', kind: 'text', input: Text(200) },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {},
});

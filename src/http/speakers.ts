// Speakers (/v1/speakers). Their email and phone number are for the event's team only: the public
// sees speakers of published sessions, without contact details.
import { Type } from 'typebox';
import { speakerModel } from '../domain/schedule/speakers.ts';
import { Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { sessionResource } from './sessions.ts';

export const speakerResource: EventChild<typeof speakerModel.table> = eventChild({
  model: speakerModel,
  plural: 'speakers',
  attributes: {
    name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
    email: { column: 'email', kind: 'text', input: Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]), teamOnly: true },
    mobile: { column: 'mobile', kind: 'text', input: Text(100), teamOnly: true },
    'photo-url': { column: 'photoUrl', kind: 'text', input: Url },
    'short-biography': { column: 'shortBiography', kind: 'text', input: Text() },
    'long-biography': { column: 'longBiography', kind: 'text', input: Text() },
    organisation: { column: 'organisation', kind: 'text', input: Text(500) },
    position: { column: 'position', kind: 'text', input: Text(500) },
    country: { column: 'country', kind: 'text', input: Text(200) },
    city: { column: 'city', kind: 'text', input: Text(200) },
    gender: { column: 'gender', kind: 'text', input: Text(100) },
    website: { column: 'website', kind: 'text', input: Url },
    twitter: { column: 'twitter', kind: 'text', input: Text(500) },
    github: { column: 'github', kind: 'text', input: Text(500) },
    linkedin: { column: 'linkedin', kind: 'text', input: Text(500) },
    'is-featured': { column: 'isFeatured', kind: 'boolean', input: Flag },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: { sessions: () => sessionResource },
});

// Speakers (/v1/speakers). Their email and phone number are for the event's team only: the public
// sees speakers of published sessions, without contact details.
import { Type } from 'typebox';
import { speakerModel } from '../domain/schedule/speakers.ts';
import { CustomFormValues, Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import { eventChild, type EventChild } from './resource/definition.ts';
import { userLink } from './resource/user-link.ts';
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
    facebook: { column: 'facebook', kind: 'text', input: Text(500) },
    instagram: { column: 'instagram', kind: 'text', input: Text(500) },
    mastodon: { column: 'mastodon', kind: 'text', input: Text(500) },
    'thumbnail-image-url': { column: 'thumbnailImageUrl', kind: 'text', input: Url },
    'small-image-url': { column: 'smallImageUrl', kind: 'text', input: Url },
    'icon-image-url': { column: 'iconImageUrl', kind: 'text', input: Url },
    'speaking-experience': { column: 'speakingExperience', kind: 'text', input: Text() },
    location: { column: 'location', kind: 'text', input: Text(500) },
    address: { column: 'address', kind: 'text', input: Text(500) },
    'is-featured': { column: 'isFeatured', kind: 'boolean', input: Flag },
    'is-email-overridden': { column: 'isEmailOverridden', kind: 'boolean', input: Flag },
    'heard-from': { column: 'heardFrom', kind: 'text', input: Text(500) },
    'sponsorship-required': { column: 'sponsorshipRequired', kind: 'text', input: Text() },
    order: { column: 'order', kind: 'integer', input: Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 }) },
    'complex-field-values': { column: 'complexFieldValues', kind: 'text', json: true, input: CustomFormValues },
    'speaker-positions': { column: 'speakerPositions', kind: 'text', json: true, input: Type.Union([CustomFormValues, Type.Array(Type.Unknown(), { maxItems: 500 })]) },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: { sessions: () => sessionResource },
  outer: { user: userLink('userId', { writable: true }) },
});

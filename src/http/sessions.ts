// Sessions (/v1/sessions): the talks of the schedule. Track organizers may edit them as well as the
// event's managers; the public sees only published ones, and never the comments.
import { Type } from 'typebox';
import { SESSION_STATES, sessionModel } from '../domain/schedule/sessions.ts';
import { favouriteCounts, favouritesByIds, favouritesOn } from '../domain/favourites.ts';
import { favouriteResource } from './favourites.ts';
import { mailNewProposal, mailStateChange } from '../domain/session-mail.ts';
import { siteIdentity } from '../domain/settings.ts';
import { Instant } from './jsonapi/schemas.ts';
import { CustomFormValues, Flag, RequiredText, Text, Url } from './resource/attributes.ts';
import { absent, eventChild, type EventChild, type OuterRelationship } from './resource/definition.ts';
import { userLink } from './resource/user-link.ts';
import { microlocationResource } from './microlocations.ts';
import { sessionTypeResource } from './session-types.ts';
import { speakerResource } from './speakers.ts';
import { trackResource } from './tracks.ts';

const NullableInstant = Type.Union([Instant, Type.Null()]);

/** OES's list of slide documents: `[{"name": "Slides", "link": "https://…"}]`. */
const Slides = Type.Union([
  Type.Array(Type.Object({ name: Type.String({ maxLength: 500 }), link: Type.String({ maxLength: 2000 }) }, { additionalProperties: false }), {
    maxItems: 100,
  }),
  Type.Null(),
]);

/**
 * The viewer's own mark on each session (`favourite`; `favourites` lists the same, as nobody else's
 * marks are anyone's business): anonymous viewers have none.
 */
function viewersFavourite(many: boolean): OuterRelationship {
  return {
    type: 'user-favourite-session',
    many,
    async ids({ db, user }, rows) {
      const ids = new Map<number, string[]>();
      if (!user) return ids;
      for (const favourite of await favouritesOn(db, user, rows.map((row) => row.id))) ids.set(favourite.sessionId, [String(favourite.id)]);
      return ids;
    },
    async resources({ db, user }, ids) {
      if (!user) return [];
      return (await favouritesByIds(db, user, ids.map(Number))).map(favouriteResource);
    },
  };
}

export const sessionResource: EventChild<typeof sessionModel.table, 'averageRating' | 'ratingCount' | 'favouriteCount'> = eventChild({
  model: sessionModel,
  plural: 'sessions',
  attributes: {
    title: { column: 'title', kind: 'text', input: RequiredText(), required: true },
    subtitle: { column: 'subtitle', kind: 'text', input: Text() },
    'short-abstract': { column: 'shortAbstract', kind: 'text', input: Text() },
    'long-abstract': { column: 'longAbstract', kind: 'text', input: Text() },
    comments: { column: 'comments', kind: 'text', input: Text(), teamOnly: true },
    language: { column: 'language', kind: 'text', input: Text(100) },
    level: { column: 'level', kind: 'text', input: Text(100) },
    'starts-at': { column: 'startsAt', kind: 'instant', input: NullableInstant },
    'ends-at': { column: 'endsAt', kind: 'instant', input: NullableInstant },
    state: { column: 'state', kind: 'text', input: Type.Union(SESSION_STATES.map((state) => Type.Literal(state))) },
    'slides-url': { column: 'slidesUrl', kind: 'text', input: Url },
    'video-url': { column: 'videoUrl', kind: 'text', input: Url },
    'audio-url': { column: 'audioUrl', kind: 'text', input: Url },
    'signup-url': { column: 'signupUrl', kind: 'text', input: Url },
    website: { column: 'website', kind: 'text', input: Url },
    twitter: { column: 'twitter', kind: 'text', input: Url },
    facebook: { column: 'facebook', kind: 'text', input: Url },
    github: { column: 'github', kind: 'text', input: Url },
    gitlab: { column: 'gitlab', kind: 'text', input: Url },
    linkedin: { column: 'linkedin', kind: 'text', input: Url },
    instagram: { column: 'instagram', kind: 'text', input: Url },
    mastodon: { column: 'mastodon', kind: 'text', input: Url },
    slides: { column: 'slides', kind: 'text', json: true, input: Slides },
    'complex-field-values': { column: 'complexFieldValues', kind: 'text', json: true, input: CustomFormValues },
    // Feedback (ratings) is an OES feature openevent does not have: no rating, none counted.
    'average-rating': { column: 'averageRating', kind: 'number' },
    'rating-count': { column: 'ratingCount', kind: 'integer' },
    'favourite-count': { column: 'favouriteCount', kind: 'integer' },
    'is-locked': { column: 'isLocked', kind: 'boolean', input: Flag },
    'is-mail-sent': { column: 'isMailSent', kind: 'boolean', input: Flag },
    'submitted-at': { column: 'submittedAt', kind: 'instant', input: NullableInstant },
    'created-at': { column: 'createdAt', kind: 'instant' },
    'last-modified-at': { column: 'lastModifiedAt', kind: 'instant' },
    'deleted-at': { column: 'deletedAt', kind: 'instant' },
  },
  relationships: {
    track: () => trackResource,
    microlocation: () => microlocationResource,
    'session-type': () => sessionTypeResource,
    speakers: () => speakerResource,
  },
  outer: {
    // Sessions are created by whoever posts them; a `creator` in the body is the client echoing that.
    creator: userLink('creatorId', { writable: false }),
    favourite: viewersFavourite(false),
    favourites: viewersFavourite(true),
    feedbacks: absent('feedback', true),
    exhibitors: absent('exhibitor', true),
    'speaker-invites': absent('speaker-invite', true),
  },
  // OES's "mail the speakers about this change" switch: read by afterUpdate, never answered.
  writeOnly: ['send-email'],
  async afterUpdate({ db, mailer, config }, { before, after, attributes, access, asWriter }) {
    const site = await siteIdentity(db, { frontendUrl: config.publicUrl });
    await mailStateChange(db, mailer, site, { event: access.event, session: after, previousState: before.state, sendEmail: attributes['send-email'] });
    // A speaker submitting their draft: the organizers hear of the proposal now.
    await mailNewProposal(db, mailer, site, { event: access.event, session: after, previousState: before.state, asWriter });
  },
  // A speaker's proposal through the call for speakers is mailed to the event's organizers, as OES does.
  async afterCreate({ db, mailer, config }, { row, access, asWriter }) {
    const site = await siteIdentity(db, { frontendUrl: config.publicUrl });
    await mailNewProposal(db, mailer, site, { event: access.event, session: row, previousState: null, asWriter });
  },
  computed: () => ({ averageRating: null, ratingCount: 0, favouriteCount: 0 }),
  async batch({ db }, rows) {
    const counts = await favouriteCounts(db, rows.map((row) => row.id));
    return new Map(rows.map((row) => [row.id, { favouriteCount: counts.get(row.id) ?? 0 }]));
  },
});

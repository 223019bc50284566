// Events and everything their schedule is made of: roles, tracks, rooms (microlocations), session
// types, speakers and sessions. Every table but the link table is soft-deleted.
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { eventSubTopics, eventTopics, eventTypes } from './site.ts';
import { groups } from './groups.ts';
import { users } from './users.ts';

/** A document an event links to (OES's document-links: a name and a URL). */
export interface DocumentLink {
  name: string;
  link: string;
}

const id = () => integer().primaryKey().generatedAlwaysAsIdentity();
const created = () => instant('created_at').notNull().defaultNow();
const updated = () => instant('updated_at').notNull().defaultNow();
const deleted = () => instant('deleted_at');
const eventRef = () =>
  integer('event_id')
    .notNull()
    .references(() => events.id);

export const events = pgTable(
  'events',
  {
    id: id(),
    identifier: text().notNull(),
    name: text().notNull(),
    description: text(),
    startsAt: instant('starts_at').notNull(),
    endsAt: instant('ends_at').notNull(),
    timezone: text().notNull().default('UTC'),
    locationName: text('location_name'),
    searchableLocationName: text('searchable_location_name'),
    online: boolean().notNull().default(false),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    privacy: text().notNull().default('public'),
    state: text().notNull().default('draft'),
    schedulePublishedOn: instant('schedule_published_on'),
    codeOfConduct: text('code_of_conduct'),
    refundPolicy: text('refund_policy'),
    logoUrl: text('logo_url'),
    originalImageUrl: text('original_image_url'),
    externalEventUrl: text('external_event_url'),
    ticketUrl: text('ticket_url'),
    ownerName: text('owner_name'),
    ownerDescription: text('owner_description'),
    hasOwnerInfo: boolean('has_owner_info').notNull().default(false),
    isMapShown: boolean('is_map_shown').notNull().default(false),
    isSessionsSpeakersEnabled: boolean('is_sessions_speakers_enabled').notNull().default(false),
    isSponsorsEnabled: boolean('is_sponsors_enabled').notNull().default(false),
    // OES's event attributes for streaming, the web client's features, home-page placement (set by
    // admins) and the payment methods an organizer offers with their instructions.
    afterOrderMessage: text('after_order_message'),
    publicStreamLink: text('public_stream_link'),
    streamLoop: boolean('stream_loop').notNull().default(false),
    streamAutoplay: boolean('stream_autoplay').notNull().default(false),
    showRemainingTickets: boolean('show_remaining_tickets').notNull().default(false),
    isOneclickSignupEnabled: boolean('is_oneclick_signup_enabled').notNull().default(false),
    isFeatured: boolean('is_featured').notNull().default(false),
    isPromoted: boolean('is_promoted').notNull().default(false),
    isDemoted: boolean('is_demoted').notNull().default(false),
    isAnnounced: boolean('is_announced').notNull().default(false),
    isTicketFormEnabled: boolean('is_ticket_form_enabled').notNull().default(true),
    isCfsEnabled: boolean('is_cfs_enabled').notNull().default(false),
    isBadgesEnabled: boolean('is_badges_enabled').notNull().default(true),
    isVideoroomEnabled: boolean('is_videoroom_enabled').notNull().default(false),
    isChatEnabled: boolean('is_chat_enabled').notNull().default(false),
    isBillingInfoMandatory: boolean('is_billing_info_mandatory').notNull().default(false),
    isDonationEnabled: boolean('is_donation_enabled').notNull().default(false),
    isDocumentEnabled: boolean('is_document_enabled').notNull().default(false),
    documentLinks: jsonb('document_links').$type<DocumentLink[] | null>(),
    isTaxEnabled: boolean('is_tax_enabled').notNull().default(false),
    paymentCountry: text('payment_country'),
    paypalEmail: text('paypal_email'),
    canPayByPaypal: boolean('can_pay_by_paypal').notNull().default(false),
    canPayByStripe: boolean('can_pay_by_stripe').notNull().default(false),
    canPayByCheque: boolean('can_pay_by_cheque').notNull().default(false),
    canPayByBank: boolean('can_pay_by_bank').notNull().default(false),
    canPayByInvoice: boolean('can_pay_by_invoice').notNull().default(false),
    canPayOnsite: boolean('can_pay_onsite').notNull().default(false),
    canPayByOmise: boolean('can_pay_by_omise').notNull().default(false),
    canPayByAlipay: boolean('can_pay_by_alipay').notNull().default(false),
    canPayByPaytm: boolean('can_pay_by_paytm').notNull().default(false),
    chequeDetails: text('cheque_details'),
    invoiceDetails: text('invoice_details'),
    bankDetails: text('bank_details'),
    onsiteDetails: text('onsite_details'),
    paymentCurrency: text('payment_currency'),
    /** Minutes a pending (unpaid) order holds its tickets before the expiry job frees them. */
    orderExpiryTime: integer('order_expiry_time').notNull().default(15),
    /** Most tickets one buyer may hold in pending orders of the event at once (their own paid orders aside). */
    maxPendingTicketsPerBuyer: integer('max_pending_tickets_per_buyer').notNull().default(20),
    /**
     * Grows on every change to the event's sessions, speakers, tracks, rooms or types (in the same
     * transaction as the change): feeds and exports key their caches on it.
     */
    /** OES's classification of the event (site.ts): what kind of event, on what topic. */
    eventTypeId: integer('event_type_id').references(() => eventTypes.id, { onDelete: 'set null' }),
    eventTopicId: integer('event_topic_id').references(() => eventTopics.id, { onDelete: 'set null' }),
    eventSubTopicId: integer('event_sub_topic_id').references(() => eventSubTopics.id, { onDelete: 'set null' }),
    /** The group the event is shown under (groups.ts); its organizers set it to a group they own. */
    groupId: integer('group_id').references(() => groups.id, { onDelete: 'set null' }),
    scheduleVersion: integer('schedule_version').notNull().default(1),
    scheduleUpdatedAt: instant('schedule_updated_at').notNull().defaultNow(),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: deleted(),
  },
  (table) => [
    uniqueIndex('events_identifier_key').on(table.identifier),
    index('events_group').on(table.groupId),
    check('events_max_pending_tickets_per_buyer', sql`max_pending_tickets_per_buyer > 0`),
    // The home page's upcoming list reads published public events by start.
    index('events_upcoming').on(table.startsAt).where(sql`state = 'published' AND privacy = 'public' AND deleted_at IS NULL`),
  ],
);

export const ROLE_NAMES = ['owner', 'organizer', 'coorganizer', 'track_organizer', 'registrar', 'moderator'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const eventRoles = pgTable(
  'users_events_roles',
  {
    id: id(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    eventId: eventRef(),
    roleName: text('role_name').$type<RoleName>().notNull(),
    createdAt: created(),
    deletedAt: deleted(),
  },
  (table) => [
    uniqueIndex('users_events_roles_unique').on(table.userId, table.eventId, table.roleName).where(sql`deleted_at IS NULL`),
    // An event has exactly one owner: the database itself refuses a second.
    uniqueIndex('users_events_roles_one_owner').on(table.eventId).where(sql`role_name = 'owner' AND deleted_at IS NULL`),
    index('users_events_roles_user').on(table.userId),
  ],
);

export const tracks = pgTable(
  'tracks',
  {
    id: id(),
    eventId: eventRef(),
    name: text().notNull(),
    description: text(),
    color: text(),
    position: integer().notNull().default(0),
    /** Its identity in the file it was imported from (frab guid, iCalendar UID…): re-imports update it in place. */
    sourceId: text('source_id'),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: deleted(),
  },
  (table) => [
    index('tracks_event').on(table.eventId),
    uniqueIndex('tracks_source').on(table.eventId, table.sourceId).where(sql`source_id IS NOT NULL`),
  ],
);

export const microlocations = pgTable(
  'microlocations',
  {
    id: id(),
    eventId: eventRef(),
    name: text().notNull(),
    floor: integer(),
    room: text(),
    latitude: doublePrecision(),
    longitude: doublePrecision(),
    position: integer().notNull().default(0),
    hiddenInScheduler: boolean('hidden_in_scheduler').notNull().default(false),
    isChatEnabled: boolean('is_chat_enabled').notNull().default(false),
    isGlobalEventRoom: boolean('is_global_event_room').notNull().default(false),
    /** Its identity in the file it was imported from (frab guid, iCalendar UID…): re-imports update it in place. */
    sourceId: text('source_id'),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: deleted(),
  },
  (table) => [
    index('microlocations_event').on(table.eventId),
    uniqueIndex('microlocations_source').on(table.eventId, table.sourceId).where(sql`source_id IS NOT NULL`),
  ],
);

export const sessionTypes = pgTable(
  'session_types',
  {
    id: id(),
    eventId: eventRef(),
    name: text().notNull(),
    /** `HH:MM`, as OES stores it. */
    length: text().notNull().default('00:30'),
    position: integer().notNull().default(0),
    /** Its identity in the file it was imported from (frab guid, iCalendar UID…): re-imports update it in place. */
    sourceId: text('source_id'),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: deleted(),
  },
  (table) => [
    index('session_types_event').on(table.eventId),
    uniqueIndex('session_types_source').on(table.eventId, table.sourceId).where(sql`source_id IS NOT NULL`),
  ],
);

export const speakers = pgTable(
  'speakers',
  {
    id: id(),
    eventId: eventRef(),
    userId: integer('user_id').references(() => users.id),
    name: text().notNull(),
    email: text(),
    mobile: text(),
    photoUrl: text('photo_url'),
    shortBiography: text('short_biography'),
    longBiography: text('long_biography'),
    organisation: text(),
    position: text(),
    country: text(),
    city: text(),
    gender: text(),
    website: text(),
    twitter: text(),
    github: text(),
    linkedin: text(),
    facebook: text(),
    instagram: text(),
    mastodon: text(),
    thumbnailImageUrl: text('thumbnail_image_url'),
    smallImageUrl: text('small_image_url'),
    iconImageUrl: text('icon_image_url'),
    speakingExperience: text('speaking_experience'),
    /** What OES's client sends as `location`; OES's own schema calls a speaker's place `address`. */
    location: text(),
    address: text(),
    isFeatured: boolean('is_featured').notNull().default(false),
    isEmailOverridden: boolean('is_email_overridden').notNull().default(false),
    heardFrom: text('heard_from'),
    sponsorshipRequired: text('sponsorship_required'),
    /** Where the organizer placed the speaker on the public speaker list (`sort=order`). */
    order: integer().notNull().default(0),
    /** Answers to the event's custom speaker form, as OES keeps them. */
    complexFieldValues: jsonb('complex_field_values').$type<Record<string, unknown>>(),
    speakerPositions: jsonb('speaker_positions').$type<unknown>(),
    /** Its identity in the file it was imported from (frab guid, iCalendar UID…): re-imports update it in place. */
    sourceId: text('source_id'),
    createdAt: created(),
    updatedAt: updated(),
    deletedAt: deleted(),
  },
  (table) => [
    index('speakers_event').on(table.eventId),
    uniqueIndex('speakers_source').on(table.eventId, table.sourceId).where(sql`source_id IS NOT NULL`),
  ],
);

export const SESSION_STATES = ['draft', 'pending', 'accepted', 'confirmed', 'rejected', 'withdrawn', 'canceled'] as const;
export type SessionStateName = (typeof SESSION_STATES)[number];

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    eventId: eventRef(),
    trackId: integer('track_id').references(() => tracks.id),
    microlocationId: integer('microlocation_id').references(() => microlocations.id),
    sessionTypeId: integer('session_type_id').references(() => sessionTypes.id),
    creatorId: integer('creator_id').references(() => users.id),
    title: text().notNull(),
    subtitle: text(),
    shortAbstract: text('short_abstract'),
    longAbstract: text('long_abstract'),
    comments: text(),
    language: text(),
    level: text(),
    startsAt: instant('starts_at'),
    endsAt: instant('ends_at'),
    state: text().$type<SessionStateName>().notNull().default('draft'),
    slidesUrl: text('slides_url'),
    videoUrl: text('video_url'),
    audioUrl: text('audio_url'),
    signupUrl: text('signup_url'),
    website: text(),
    twitter: text(),
    facebook: text(),
    github: text(),
    gitlab: text(),
    linkedin: text(),
    instagram: text(),
    mastodon: text(),
    /** OES's list of `{name, link}` documents. */
    slides: jsonb().$type<{ name: string; link: string }[]>(),
    complexFieldValues: jsonb('complex_field_values').$type<Record<string, unknown>>(),
    isLocked: boolean('is_locked').notNull().default(false),
    isMailSent: boolean('is_mail_sent').notNull().default(false),
    submittedAt: instant('submitted_at'),
    /** Its identity in the file it was imported from (frab guid, iCalendar UID…): re-imports update it in place. */
    sourceId: text('source_id'),
    createdAt: created(),
    lastModifiedAt: instant('last_modified_at').notNull().defaultNow(),
    /** iCalendar SEQUENCE: grows by one on every change, so calendar clients replace their copy. */
    sequence: integer().notNull().default(0),
    deletedAt: deleted(),
  },
  (table) => [
    index('sessions_event_start').on(table.eventId, table.startsAt),
    uniqueIndex('sessions_source').on(table.eventId, table.sourceId).where(sql`source_id IS NOT NULL`),
  ],
);

export const sessionSpeakers = pgTable(
  'sessions_speakers',
  {
    sessionId: integer('session_id')
      .notNull()
      .references(() => sessions.id),
    speakerId: integer('speaker_id')
      .notNull()
      .references(() => speakers.id),
  },
  (table) => [primaryKey({ columns: [table.sessionId, table.speakerId] }), index('sessions_speakers_speaker').on(table.speakerId)],
);

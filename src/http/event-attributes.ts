// The event's attributes as OES's EventSchema names them, listed once: what a client may write, what
// it reads back, and what lists filter and sort on. OES's web client sends every attribute of its
// event model on each save (with `null` for unset ones and booleans sometimes as text), so every
// attribute it has is here; those OES computes itself are read-only.
import { Type } from 'typebox';
import type { Event } from '../domain/events.ts';
import { Instant } from './jsonapi/schemas.ts';
import type { FieldKind } from '../domain/list-query.ts';
import { Flag, Latitude, Longitude, RequiredText, Text, Url, type AttributeTable } from './resource/attributes.ts';

const Details = Text(10_000);
const flag = (column: string) => ({ column, kind: 'boolean' as const, input: Flag });
const text = (column: string, input = Details) => ({ column, kind: 'text' as const, input });

const DocumentLinks = Type.Union([
  Type.Array(
    Type.Object({ name: Type.String({ minLength: 1, maxLength: 1000 }), link: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
    { maxItems: 100 },
  ),
  Type.Null(),
]);

export const EVENT_ATTRIBUTES: AttributeTable = {
  name: { column: 'name', kind: 'text', input: RequiredText(), required: true },
  identifier: { column: 'identifier', kind: 'text' },
  'starts-at': { column: 'startsAt', kind: 'instant', input: Instant, required: true },
  'ends-at': { column: 'endsAt', kind: 'instant', input: Instant, required: true },
  timezone: { column: 'timezone', kind: 'text', input: Type.String({ maxLength: 64 }) },
  description: text('description', Text()),
  'after-order-message': text('afterOrderMessage', Text()),
  'location-name': text('locationName', Text(1000)),
  'searchable-location-name': text('searchableLocationName', Text(1000)),
  online: flag('online'),
  latitude: { column: 'latitude', kind: 'number', input: Latitude },
  longitude: { column: 'longitude', kind: 'number', input: Longitude },
  'public-stream-link': text('publicStreamLink', Text(2000)),
  'stream-loop': flag('streamLoop'),
  'stream-autoplay': flag('streamAutoplay'),
  privacy: { column: 'privacy', kind: 'text', input: Type.Union([Type.Literal('public'), Type.Literal('private')]) },
  state: { column: 'state', kind: 'text', input: Type.Union([Type.Literal('draft'), Type.Literal('published')]) },
  'schedule-published-on': { column: 'schedulePublishedOn', kind: 'instant', input: Type.Union([Instant, Type.Null()]) },
  'code-of-conduct': text('codeOfConduct', Text()),
  'refund-policy': text('refundPolicy', Text()),
  'logo-url': text('logoUrl', Url),
  'original-image-url': text('originalImageUrl', Url),
  'external-event-url': text('externalEventUrl', Url),
  'ticket-url': text('ticketUrl', Url),
  'owner-name': text('ownerName', Text(1000)),
  'owner-description': text('ownerDescription', Text()),
  'has-owner-info': flag('hasOwnerInfo'),
  'is-map-shown': flag('isMapShown'),
  'show-remaining-tickets': flag('showRemainingTickets'),
  'is-oneclick-signup-enabled': flag('isOneclickSignupEnabled'),
  'is-sessions-speakers-enabled': flag('isSessionsSpeakersEnabled'),
  'is-sponsors-enabled': flag('isSponsorsEnabled'),
  'is-ticket-form-enabled': flag('isTicketFormEnabled'),
  'is-badges-enabled': flag('isBadgesEnabled'),
  'is-cfs-enabled': flag('isCfsEnabled'),
  'is-videoroom-enabled': flag('isVideoroomEnabled'),
  'is-chat-enabled': flag('isChatEnabled'),
  'is-document-enabled': flag('isDocumentEnabled'),
  // Shown as its own JSON array (see DOCUMENT_LINKS_OUTPUT); never a filter field.
  'document-links': { column: 'documentLinks', kind: 'text', input: DocumentLinks },
  'is-announced': flag('isAnnounced'),
  // Home-page placement: only admins set these (the domain ignores others' values).
  'is-featured': flag('isFeatured'),
  'is-promoted': flag('isPromoted'),
  'is-demoted': flag('isDemoted'),
  'is-billing-info-mandatory': flag('isBillingInfoMandatory'),
  'is-donation-enabled': flag('isDonationEnabled'),
  'is-tax-enabled': flag('isTaxEnabled'),
  'payment-country': text('paymentCountry', Text(100)),
  'payment-currency': { column: 'paymentCurrency', kind: 'text', input: Type.Union([Type.String({ pattern: '^[A-Z]{3}$' }), Type.Null()]) },
  'paypal-email': text('paypalEmail', Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()])),
  'can-pay-by-paypal': flag('canPayByPaypal'),
  'can-pay-by-stripe': flag('canPayByStripe'),
  'can-pay-by-cheque': flag('canPayByCheque'),
  'can-pay-by-bank': flag('canPayByBank'),
  'can-pay-by-invoice': flag('canPayByInvoice'),
  'can-pay-onsite': flag('canPayOnsite'),
  'can-pay-by-omise': flag('canPayByOmise'),
  'can-pay-by-alipay': flag('canPayByAlipay'),
  'can-pay-by-paytm': flag('canPayByPaytm'),
  'cheque-details': text('chequeDetails'),
  'invoice-details': text('invoiceDetails'),
  'bank-details': text('bankDetails'),
  'onsite-details': text('onsiteDetails'),
  // Minutes an unpaid order holds its tickets (OES's order-expiry-time); at most a week.
  'order-expiry-time': { column: 'orderExpiryTime', kind: 'integer', input: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }) },
  'max-pending-tickets-per-buyer': { column: 'maxPendingTicketsPerBuyer', kind: 'integer', input: Type.Integer({ minimum: 1, maximum: 10_000 }) },
  'created-at': { column: 'createdAt', kind: 'instant' },
  'deleted-at': { column: 'deletedAt', kind: 'instant' },
};

/** The attributes lists filter and sort on: all but the document list (JSON, not a value). */
export const EVENT_LIST_ATTRIBUTES: AttributeTable = Object.fromEntries(
  Object.entries(EVENT_ATTRIBUTES).filter(([name]) => name !== 'document-links'),
);

export const DOCUMENT_LINKS_OUTPUT = { 'document-links': DocumentLinks };

const NullableText = Type.Union([Type.String(), Type.Null()]);

/**
 * What OES computes and the client reads: resized images (openevent keeps the original, so each size
 * is the original image), whether a Stripe account is linked (openevent takes no card payments) and
 * the chat room (openevent has no chat).
 */
export const COMPUTED_ATTRIBUTES = {
  'thumbnail-image-url': NullableText,
  'large-image-url': NullableText,
  'icon-image-url': NullableText,
  'is-stripe-linked': Type.Boolean(),
  'chat-room-name': NullableText,
};

export function computedAttributes(event: Event): Record<keyof typeof COMPUTED_ATTRIBUTES, unknown> {
  return {
    'thumbnail-image-url': event.originalImageUrl,
    'large-image-url': event.originalImageUrl,
    'icon-image-url': event.originalImageUrl,
    'is-stripe-linked': false,
    'chat-room-name': null,
  };
}

/** Each attribute's kind, for reading OES's value forms ("true", "1.5") before validation. */
export const EVENT_KINDS: Record<string, FieldKind> = Object.fromEntries(
  Object.entries(EVENT_ATTRIBUTES).filter(([, spec]) => spec.input).map(([name, spec]) => [name, spec.kind]),
);

/** Flags, counts, zone, state and privacy always have a value: a `null` for them means "not given". */
export const UNSET_BY_NULL: ReadonlySet<string> = new Set([
  ...Object.entries(EVENT_ATTRIBUTES)
    .filter(([, spec]) => spec.input && (spec.kind === 'boolean' || spec.kind === 'integer'))
    .map(([name]) => name),
  'timezone',
  'state',
  'privacy',
]);

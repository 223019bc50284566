// Custom forms as OES has them: the fields an event's speaker, session and attendee forms show, which
// are required, in what order. The web client builds its forms from these rows. A field OES knows by
// identifier (a column of the speaker, session or attendee) gets OES's name and is not "complex";
// any other identifier is the organizer's own field, kept in the record's complex-field-values.
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Queryable } from '../db/connection.ts';
import { customForms } from '../db/schema/index.ts';
import { ConflictError, InvalidError } from './errors.ts';
import type { ChildModel, ValuesOf } from './event-child/model.ts';

/** Column values of a custom form field. */
export type FieldValues = ValuesOf<typeof customForms>;

export const FORMS = ['attendee', 'session', 'speaker'] as const;
export type FormName = (typeof FORMS)[number];

export const FIELD_TYPES = ['text', 'checkbox', 'select', 'file', 'image', 'email', 'number', 'paragraph', 'richtextlink', 'boolean', 'year'] as const;

/** OES's built-in fields of each form and the names it gives them (CUSTOM_FORM_IDENTIFIER_NAME_MAP). */
const BUILT_IN: Record<FormName, Record<string, string>> = {
  session: {
    title: 'Title', subtitle: 'Subtitle', shortAbstract: 'Short Abstract', longAbstract: 'Long Abstract', comments: 'Comment',
    track: 'Track', sessionType: 'Session Type', level: 'Level', language: 'Language', slidesUrl: 'Slide', slides: 'Slides',
    videoUrl: 'Video', audioUrl: 'Audio', website: 'Website', facebook: 'Facebook', twitter: 'Twitter', github: 'GitHub',
    linkedin: 'Linkedin', instagram: 'Instagram', gitlab: 'Gitlab', mastodon: 'Mastodon',
  },
  speaker: {
    name: 'Name', email: 'Email', photoUrl: 'Photo', organisation: 'Organisation', position: 'Position', address: 'Address',
    country: 'Country', city: 'City', longBiography: 'Long Biography', shortBiography: 'Short Biography',
    speakingExperience: 'Speaking Experience', sponsorshipRequired: 'Sponsorship Required', gender: 'Gender',
    heardFrom: 'Heard From', mobile: 'Mobile', website: 'Website', facebook: 'Facebook', twitter: 'Twitter', github: 'GitHub',
    linkedin: 'Linkedin', instagram: 'Instagram', mastodon: 'Mastodon',
  },
  attendee: {
    firstname: 'First Name', lastname: 'Last Name', email: 'Email', address: 'Address', city: 'City', state: 'State',
    country: 'Country', jobTitle: 'Job Title', phone: 'Phone', taxBusinessInfo: 'Tax Business Info',
    billingAddress: 'Billing Address', homeAddress: 'Home Address', shippingAddress: 'Shipping Address', company: 'Organisation',
    workAddress: 'Work Address', workPhone: 'Work Phone', website: 'Website', blog: 'Blog', twitter: 'Twitter',
    facebook: 'Facebook', github: 'GitHub', linkedin: 'LinkedIn', instagram: 'Instagram',
    gender: 'Which of these categories describe your gender identity? (check all that apply)', ageGroup: 'Age Group',
    acceptVideoRecording: 'Photo & video & text consent', acceptShareDetails: 'Partner contact consent',
    acceptReceiveEmails: 'Email consent', is_consent_form_field: 'Code of conduct consent',
    is_consent_form_field_photo: 'Wikimania photo consent', is_consent_form_field_email: 'Wikimania email updates',
    is_consent_of_refund_policy: 'Consent of refund policy',
    native_language: 'What is your native language, or what language are you most fluent in?',
    fluent_language: 'Are you fluent in any other of the following languages?', home_wiki: 'What is your home wiki',
    wiki_scholarship: 'Have you received a Wikimania scholarship?',
  },
};

export function builtInName(form: string, identifier: string): string | undefined {
  const names: Record<string, string> | undefined = BUILT_IN[form as FormName];
  return names && Object.hasOwn(names, identifier) ? names[identifier] : undefined;
}

/**
 * The values a field is stored with: a built-in field takes OES's name whatever the client sent (as
 * OES's before_insert/update hook does), and `is-complex` says whether the field is the organizer's
 * own. `current` is the stored row on update.
 */
export function fieldValues(given: FieldValues, current: FieldValues | null): FieldValues {
  const values = { ...given };
  const form = values.form ?? current?.form;
  const identifier = values.fieldIdentifier ?? current?.fieldIdentifier;
  if (form === undefined || identifier === undefined) return values;
  const name = builtInName(form, identifier);
  if (values.form !== undefined || values.fieldIdentifier !== undefined || current === null) values.isComplex = name === undefined;
  if (name !== undefined) values.name = name;
  else if (current === null && !values.name) values.name = identifier;
  return values;
}

export const customFormModel: ChildModel<typeof customForms> = {
  type: 'custom-form',
  table: customForms,
  relationships: {},
  writers: 'managers',
  // The client asks for sort=id; the same order by default keeps pages stable.
  defaultSort: () => [asc(customForms.id)],
  schedule: false,
  validate(values) {
    if (values.form !== undefined && !(FORMS as readonly string[]).includes(values.form)) {
      throw new InvalidError(`"form" must be one of ${FORMS.join(', ')}`, { attribute: 'form' });
    }
    if (values.type !== undefined && !(FIELD_TYPES as readonly string[]).includes(values.type)) {
      throw new InvalidError(`"type" must be one of ${FIELD_TYPES.join(', ')}`, { attribute: 'type' });
    }
  },
  constraintErrors: {
    custom_forms_field_unique: () => new ConflictError('The form already has a field with this identifier', { attribute: 'field-identifier' }),
  },
};

/** The attendee fields OES gives every new event: name and e-mail, required and fixed. */
export async function addDefaultAttendeeFields(db: Queryable, eventId: number): Promise<void> {
  const field = (fieldIdentifier: string, type: string) => ({
    eventId,
    form: 'attendee',
    fieldIdentifier,
    type,
    name: builtInName('attendee', fieldIdentifier)!,
    isRequired: true,
    isIncluded: true,
    isFixed: true,
  });
  await db.insert(customForms).values([field('firstname', 'text'), field('lastname', 'text'), field('email', 'email')]);
}

/** The event's live fields, in id order (for `include=custom-forms` on the event). */
export async function customFormsOfEvent(db: Queryable, eventId: number) {
  return db.select().from(customForms).where(and(eq(customForms.eventId, eventId), isNull(customForms.deletedAt))).orderBy(asc(customForms.id));
}

// What an event shows around its schedule, as OES has it: sponsors (on the event page when the event
// has sponsors on), social links, its copyright and its tax (at most one live record each). The
// event's owner, organizers and coorganizers write them; whoever may read the event reads them (tax:
// the invoicing details only for the team, see http/tax.ts).
import { asc } from 'drizzle-orm';
import { eventCopyrights, socialLinks, sponsors, taxes } from '../db/schema/index.ts';
import { ConflictError, ForbiddenError, InvalidError } from './errors.ts';
import type { ChildModel } from './event-child/model.ts';

export const sponsorModel: ChildModel<typeof sponsors> = {
  type: 'sponsor',
  table: sponsors,
  relationships: {},
  writers: 'managers',
  schedule: false,
  defaultSort: () => [asc(sponsors.level), asc(sponsors.id)],
  // As OES: an event with sponsors turned off takes none.
  beforeCreate(event) {
    if (!event.isSponsorsEnabled) throw new ForbiddenError('Sponsors are disabled for this Event');
  },
};

export const socialLinkModel: ChildModel<typeof socialLinks> = {
  type: 'social-link',
  table: socialLinks,
  relationships: {},
  writers: 'managers',
  schedule: false,
  defaultSort: () => [asc(socialLinks.id)],
};

export const eventCopyrightModel: ChildModel<typeof eventCopyrights> = {
  type: 'event-copyright',
  table: eventCopyrights,
  relationships: {},
  writers: 'managers',
  schedule: false,
  defaultSort: () => [asc(eventCopyrights.id)],
  validate(values) {
    const year = values.year;
    const now = new Date().getUTCFullYear();
    if (year !== undefined && year !== null && (year < 1900 || year > now)) {
      throw new InvalidError(`"year" must be between 1900 and ${now}`, { attribute: 'year' });
    }
  },
  constraintErrors: {
    // 422, as OES answers it (a second tax is a 409 there).
    event_copyrights_one_per_event: () => new InvalidError('Event Copyright already exists for the provided Event ID', { relationship: 'event' }),
  },
};

export const taxModel: ChildModel<typeof taxes> = {
  type: 'tax',
  table: taxes,
  relationships: {},
  writers: 'managers',
  schedule: false,
  defaultSort: () => [asc(taxes.id)],
  // As OES: tax details belong to events that charge tax.
  beforeCreate(event) {
    if (!event.isTaxEnabled) throw new ForbiddenError('Tax is disabled for this Event');
  },
  constraintErrors: {
    taxes_one_per_event: () => new ConflictError('Tax already exists for this event', { relationship: 'event' }),
  },
};

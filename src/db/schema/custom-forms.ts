// The form fields an event asks of speakers, sessions and attendees, as OES keeps them (custom_forms):
// one row per field, built-in (`is-complex` false: the field is a column of the record) or the
// organizer's own (`is-complex` true: stored in the record's complex-field-values).
import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { instant } from './columns.ts';
import { events } from './schedule.ts';

export const customForms = pgTable(
  'custom_forms',
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    eventId: integer('event_id')
      .notNull()
      .references(() => events.id),
    form: text().notNull(),
    fieldIdentifier: text('field_identifier').notNull(),
    type: text().notNull().default('text'),
    name: text().notNull(),
    description: text(),
    isRequired: boolean('is_required').notNull().default(false),
    isIncluded: boolean('is_included').notNull().default(false),
    isFixed: boolean('is_fixed').notNull().default(false),
    isPublic: boolean('is_public').notNull().default(false),
    isComplex: boolean('is_complex').notNull().default(false),
    isAllowEdit: boolean('is_allow_edit').notNull().default(false),
    position: integer().notNull().default(0),
    formId: text('form_id'),
    min: integer().default(0),
    max: integer().default(10),
    mainLanguage: text('main_language'),
    createdAt: instant('created_at').notNull().defaultNow(),
    updatedAt: instant('updated_at').notNull().defaultNow(),
    deletedAt: instant('deleted_at'),
  },
  (table) => [
    index('custom_forms_event').on(table.eventId),
    // OES's custom_form_identifier: one field of a name per form (and per form id, for ticket forms).
    uniqueIndex('custom_forms_field_unique')
      .on(table.eventId, table.form, table.fieldIdentifier, table.formId)
      .where(sql`deleted_at IS NULL`),
  ],
);

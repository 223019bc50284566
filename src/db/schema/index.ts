// The database schema, one file per area; migrations in src/db/migrations are generated from these
// (`npm run db:generate`), never written by hand. Conventions: instants are timestamptz, and tables
// users can delete from carry deleted_at (soft delete).
export * from './users.ts';
export * from './schedule.ts';
export * from './storage.ts';
export * from './exports.ts';
export * from './favourites.ts';
export * from './tickets.ts';
export * from './role-invites.ts';
export * from './site.ts';
export * from './custom-forms.ts';
export * from './groups.ts';
export * from './event-extras.ts';
export * from './uploads.ts';
export * from './codes.ts';
export * from './speakers-calls.ts';
export * from './imports.ts';

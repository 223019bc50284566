// Naming of the PostgreSQL databases the tests use: one template, and one copy per test file.
export const TEMPLATE_DATABASE = 'openevent_test_template';

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = '/' + database;
  return url.href;
}

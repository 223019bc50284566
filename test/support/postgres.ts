// Naming of the PostgreSQL databases the tests use: one template, and one copy per test file.
// The template's name is per run, so runs from several checkouts on one server never drop each other's.
export const TEMPLATE_PREFIX = 'openevent_test_template';

export function templateNameFor(pid: number, tag: string): string {
  return `${TEMPLATE_PREFIX}_${pid}_${tag}`;
}

/** The database name at the end of a URL. */
export function databaseNameOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

export function databaseUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = '/' + database;
  return url.href;
}

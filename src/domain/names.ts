// Attribute names between the forms the API speaks (dasherized: `starts-at`) and the rows use
// (camelCase: `startsAt`), and the page a list asks for. Shared by routes and the list queries.

/** camelCase → dasherized, the attribute naming of OES's JSON:API (`startsAt` → `starts-at`). */
export function dasherize(name: string): string {
  return name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** dasherized or snake_case → camelCase (`starts-at`, `starts_at` → `startsAt`). */
export function camelize(name: string): string {
  return name.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Which page of a list: 1-based number and size. */
export interface Page {
  number: number;
  size: number;
}

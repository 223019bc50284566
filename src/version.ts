// The package version, read once: it goes into PRODID, the OpenAPI document and `--version`.
import { readFileSync } from 'node:fs';

export const version: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;

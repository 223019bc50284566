// The export flow of export-flow.test.ts with the files kept in the database (STORAGE=database), as
// API and worker processes that share only PostgreSQL run it.
import { defineExportFlow } from './flow.ts';

defineExportFlow({ STORAGE: 'database' });

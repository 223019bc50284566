// The export flow end to end over HTTP, as an OES client drives it (issue 5), with export files in a
// local directory (the default): build an event with tracks, rooms, types, speakers and sessions in
// every state, publish it, start each export, poll the task, download the file, and check the file and
// the headers. The same flow with files in the database is export-flow-database.test.ts.
import { defineExportFlow } from './flow.ts';

defineExportFlow({});

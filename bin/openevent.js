#!/usr/bin/env node
// The installed `openevent` command. The sources are TypeScript that Node 24 runs as they are
// (type stripping), so there is no build step between a checkout and a running server.
import '../src/cli.ts';

#!/usr/bin/env node
// Starts a local Chroma server (same as `npx chroma run ...`) through the native bindings pinned in
// server-lite/package.json. chromadb 3.5 nests a newer binding that needs a newer glibc than
// Debian 12 ships, so we resolve the binding from this package instead of from chromadb.
// No JS signal handlers: the native server blocks the JS thread, so only the default action of
// SIGTERM/SIGINT can end it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const binding = require('chromadb-js-bindings-linux-x64-gnu');
binding.cli(['chroma', ...process.argv.slice(2)]);

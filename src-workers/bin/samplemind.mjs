#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript engine runs unbuilt on Node 20/22/24.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Builds the engine harness page (real module worker + pool) for browser tests and bench:engine.
export default defineConfig({
  root: resolve(import.meta.dirname, 'browser-harness'),
  base: './',
  logLevel: 'warn',
  build: { outDir: resolve(import.meta.dirname, 'dist-harness'), emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
});

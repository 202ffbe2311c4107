import type { TestProject } from 'vitest/node';
import { ensureBuilt, startPreview } from '../scripts/app-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Builds the app if its sources changed, then serves dist/ for every spec. */
export default async function setup(project: TestProject) {
  ensureBuilt();
  const server = await startPreview();
  project.provide('baseUrl', server.url);
  return async () => {
    await server.close();
  };
}

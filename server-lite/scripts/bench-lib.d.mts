// Types for the parts of bench-lib.mjs that TypeScript benchmarks (bench-ai.ts) use.
import type { ChildProcess } from 'node:child_process';

export function startServer(
  env: Record<string, string>,
  nodeArgs?: string[],
): Promise<{ url: string; proc: ChildProcess; output(): string }>;
export function productionNodeFlags(): string[];
export function signIn(url: string): Promise<{ username: string; password: string; token: string }>;
export function stopAll(): Promise<void>;

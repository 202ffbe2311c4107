import type { AnalysisOutcome } from '@samplemind/contract';
import type { PoolStats } from './pool';

/** What the browser harness page (browser-harness/) exposes as window.engineHarness. */
export type EngineHarness = {
  defaultPoolSize(): number;
  warmUp(size: number): Promise<void>;
  analyseUrls(
    urls: string[],
    repeat?: number,
  ): Promise<{
    outcomes: Array<{ url: string; outcome: AnalysisOutcome }>;
    ms: number;
    mainThreadLongTasks: number[];
  }>;
  analyseAndCancel(url: string, afterMs: number): Promise<AnalysisOutcome>;
  isTransferred(url: string): Promise<boolean>;
  stats(): PoolStats | undefined;
};

/** For code that runs inside page.evaluate() but is type-checked without the DOM library. */
export type HarnessWindow = { engineHarness: EngineHarness };

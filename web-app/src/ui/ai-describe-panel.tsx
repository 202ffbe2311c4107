import { lazy, Suspense } from 'react';
import type { AiDescribePanelProps } from './ai-describe-body';

// The AI client and zod (through the contract's schemas) load with the first panel, off the main bundle.
const Body = lazy(() => import('./ai-describe-body').then((m) => ({ default: m.AiDescribeBody })));

export type { AiDescribePanelProps };

/**
 * The AI section of the detail panel: "Describe with AI" for the file, the stored description
 * (available offline), suggested tags with one-click apply, genres/moods, tips and ideas.
 * Renders nothing for files that are not analysed.
 */
export function AiDescribePanel(props: AiDescribePanelProps) {
  return (
    <Suspense fallback={null}>
      <Body {...props} />
    </Suspense>
  );
}

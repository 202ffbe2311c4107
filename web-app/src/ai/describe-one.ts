import type { AiProviderId, AiSampleInput } from '@samplemind/contract';
import { ApiError } from '../account/api-error';
import type { AiServices } from './ai-services';
import { type AiRecord, recordsFrom, saveRecords } from './ai-store';

export type DescribeProgress = {
  /** The description so far, as the model writes it (replaced by the validated one at the end). */
  text: string;
  provider: AiProviderId | null;
  model: string | null;
  /** Set when a provider failed mid-answer and the next one took over. */
  fallback: string | null;
};

/**
 * Describes one sample through the streaming endpoint, reporting the text as it arrives, and
 * stores the validated answer locally (so it is there offline afterwards).
 */
export async function describeOne(
  services: AiServices,
  input: AiSampleInput,
  options: {
    provider?: AiProviderId;
    refresh?: boolean;
    signal?: AbortSignal;
    onProgress?: (p: DescribeProgress) => void;
  } = {},
): Promise<AiRecord> {
  const p: DescribeProgress = { text: '', provider: null, model: null, fallback: null };
  const res = await services.client.analyzeStream([input], {
    ...(options.provider ? { provider: options.provider } : {}),
    ...(options.refresh ? { refresh: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onEvent: (e) => {
      if (e.event === 'meta') {
        p.provider = e.provider;
        p.model = e.model;
      } else if (e.event === 'description') p.text += e.delta;
      else {
        p.text = '';
        p.fallback = e.message;
      }
      options.onProgress?.({ ...p });
    },
  });
  const record = recordsFrom(res).find((r) => r.contentHash === input.id);
  if (!record)
    throw new ApiError('bad-response', 'The server answered without a description for this sample.');
  await saveRecords(services.db, [record]);
  return record;
}

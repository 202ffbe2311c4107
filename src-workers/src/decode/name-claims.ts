import type { ClaimedMetadata } from '@samplemind/contract';

/** BPM and key tokens in a file's path ("120bpm", "Fmin", "F#m"). Owned by the decode module. */
export function claimsFromPath(_path: string): Partial<ClaimedMetadata> {
  return {};
}

import { SAMPLE_TYPES } from '@samplemind/contract';

/** One colour per type, spread around the hue circle (table chips, facets, map). */
export const TYPE_COLOURS: readonly string[] = SAMPLE_TYPES.map(
  (_, i) => `hsl(${Math.round((i * 360) / SAMPLE_TYPES.length)} 65% 62%)`,
);

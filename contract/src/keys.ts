import { z } from 'zod';
import { PITCH_CLASSES, SCALES } from './key-names';

export * from './key-names';

export const pitchClassSchema = z.enum(PITCH_CLASSES);
export const scaleSchema = z.enum(SCALES);

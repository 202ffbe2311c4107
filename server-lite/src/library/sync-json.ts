import { createHash } from 'node:crypto';
import {
  encodeFeatures8,
  type PullResponse,
  summaryFromAnalysis,
  syncCollectionSchema,
  syncSampleSchema,
} from '@samplemind/contract';
import type { CollectionDoc, SampleDoc } from '../sync/model';
import { compileSerializer, jsonSchemaOf } from './serialize';
import { type PullView, toSyncCollection, toSyncSample } from './views';

const serializeSample = compileSerializer(syncSampleSchema);
const serializeCollection = compileSerializer(syncCollectionSchema);

/** Bump when compactSampleJson's output changes in a way the fingerprint below cannot see. */
const COMPACT_REVISION = 1;

/**
 * Version of compactSampleJson's output. Stores keep each sample's compact text next to its
 * document (written in the same transaction); a text of another version is rebuilt from the
 * document on read and written back. The fingerprint covers the schema and the code that fills
 * it (including the contract's summaryFromAnalysis), so a change there cannot serve stale texts;
 * at worst a harmless change costs one slower compact pull per library.
 */
export const COMPACT_FORMAT = `${COMPACT_REVISION}-${createHash('sha256')
  .update(JSON.stringify(jsonSchemaOf(syncSampleSchema)))
  .update(String(summaryFromAnalysis))
  .update(String(encodeFeatures8))
  .update(String(toSyncSample))
  .digest('base64url')
  .slice(0, 12)}`;

/** A sample as the compact pull view sends it: JSON of a SyncSample with `summary`, no `analysis`. */
export const compactSampleJson = (d: SampleDoc): string => serializeSample(toSyncSample(d, 'compact'));

export const sampleJson = (d: SampleDoc, view: PullView): string => serializeSample(toSyncSample(d, view));

export const collectionJson = (d: CollectionDoc): string => serializeCollection(toSyncCollection(d));

/**
 * A pull response from samples already rendered as JSON. Pages of thousands of samples are
 * joined as text: building the whole object and serialising it again would cost as much as the
 * rest of the request. The shape is PullResponse (test/sync-pull.test.ts parses real answers).
 */
export function pullBody(p: {
  cursor: string;
  hasMore: boolean;
  samples: string[];
  collections: string[];
  clients: PullResponse['clients'];
}): string {
  return `{"cursor":${JSON.stringify(p.cursor)},"hasMore":${p.hasMore},"samples":[${p.samples.join(
    ',',
  )}],"collections":[${p.collections.join(',')}],"clients":${JSON.stringify(p.clients)}}`;
}

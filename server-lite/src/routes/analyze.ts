import type { MultipartFile } from '@fastify/multipart';
import {
  analyzeFieldsSchema,
  analyzeResponseSchema,
  errorResponseSchema,
  type Mutation,
} from '@samplemind/contract';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { badRequest, HttpError } from '../http-errors';
import { isVisible, toSummary } from '../library/views';
import { SERVER_CLIENT_ID } from '../sync/reduce';

const AUDIO_EXTENSIONS = new Set(['wav', 'wave', 'aif', 'aiff', 'aifc', 'flac', 'mp3', 'ogg', 'oga']);
const GENERIC_TYPES = new Set(['application/octet-stream', '']);

const FAILURE_STATUS: Record<string, [number, string]> = {
  empty: [400, 'the file holds no audio'],
  'unsupported-format': [415, ''],
  'too-long': [413, ''],
  corrupt: [422, ''],
  timeout: [422, ''],
  aborted: [400, 'analysis was cancelled'],
};

function acceptable(file: MultipartFile): boolean {
  const ext = file.filename.toLowerCase().split('.').pop() ?? '';
  const mime = file.mimetype.toLowerCase();
  if (AUDIO_EXTENSIONS.has(ext))
    return mime.startsWith('audio/') || GENERIC_TYPES.has(mime) || mime.startsWith('video/ogg');
  return mime.startsWith('audio/');
}

const hlcNow = () => `${String(Date.now()).padStart(13, '0')}-0000`;

export default async function analyzeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const maxBytes = Math.round(app.config.MAX_UPLOAD_MB * 1024 * 1024);

  app.post(
    '/analyze',
    {
      preHandler: app.authenticate,
      schema: {
        tags: ['analysis'],
        summary: 'Analyse an uploaded audio file on the server (multipart/form-data)',
        description: `Parts: \`file\` (wav, aiff, flac, mp3 or ogg; at most ${app.config.MAX_UPLOAD_MB} MB) and optional \`store\` ("true" stores the result's metadata and features in the caller's library; the audio is never kept). Send \`store\` before \`file\`.`,
        consumes: ['multipart/form-data'],
        security: [{ bearerAuth: [] }],
        response: {
          200: analyzeResponseSchema,
          400: errorResponseSchema,
          401: errorResponseSchema,
          413: errorResponseSchema,
          415: errorResponseSchema,
          422: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (req) => {
      if (!req.isMultipart())
        throw new HttpError(415, 'unsupported-media-type', 'send multipart/form-data with a `file` part');
      const file = await req.file({ limits: { fileSize: maxBytes, files: 1, fields: 4, fieldSize: 1024 } });
      if (!file) throw badRequest('no `file` part in the upload');
      if (!acceptable(file)) {
        file.file.resume();
        throw new HttpError(
          415,
          'unsupported-media-type',
          `not an audio file we analyse: ${file.mimetype} "${file.filename}"`,
        );
      }
      let bytes: Buffer;
      try {
        bytes = await file.toBuffer();
      } catch (e) {
        if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new HttpError(
            413,
            'payload-too-large',
            `the file is larger than ${app.config.MAX_UPLOAD_MB} MB`,
          );
        }
        throw e;
      }
      const fieldValue = (name: string) => {
        const f = file.fields[name];
        const one = Array.isArray(f) ? f[0] : f;
        return one && one.type === 'field' ? String(one.value) : undefined;
      };
      const fields = analyzeFieldsSchema.safeParse({ store: fieldValue('store') });
      if (!fields.success) throw badRequest('`store` must be "true" or "false"');

      const controller = new AbortController();
      const onClose = () => controller.abort();
      req.raw.once('close', onClose);
      const outcome = await app.engine
        .analyse(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
          path: file.filename,
          signal: controller.signal,
        })
        .finally(() => req.raw.off('close', onClose));
      if (!outcome.ok) {
        const mapped = FAILURE_STATUS[outcome.error.code];
        if (!mapped) {
          req.log.error({ analysisError: outcome.error }, 'analysis failed');
          throw new Error('analysis failed'); // 500 without internals
        }
        throw new HttpError(mapped[0], `analysis-${outcome.error.code}`, mapped[1] || outcome.error.message);
      }
      const result = outcome.result;
      if (fields.data.store !== 'true') return { result, stored: false, sample: null };

      const { userId } = req.auth;
      const existing = await app.stores.docs.getSample(userId, result.contentHash);
      const mutation: Mutation = {
        clientId: SERVER_CLIENT_ID,
        mutationId: 1,
        hlc: hlcNow(),
        name: 'sample.upsertAnalysis',
        args: {
          id: result.contentHash,
          analysis: result,
          ...(existing?.name.v ? {} : { name: file.filename }),
        },
      };
      await app.library.push(userId, [mutation]);
      const doc = await app.stores.docs.getSample(userId, result.contentHash);
      return { result, stored: true, sample: doc && isVisible(doc) ? toSummary(doc) : null };
    },
  );
}

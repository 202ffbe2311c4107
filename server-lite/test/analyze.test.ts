import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupTmp, newUser, testApp } from './harness';

/** A decaying sine as 16-bit mono WAV: a kick-like one-shot. */
function wav(sec: number, freq: number): Buffer {
  const sr = 44100;
  const n = Math.round(sec * sr);
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + n * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sr, 24);
  b.writeUInt32LE(sr * 2, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    b.writeInt16LE(
      Math.round(Math.sin((2 * Math.PI * freq * i) / sr) * Math.exp((-i / sr) * 8) * 20000),
      44 + i * 2,
    );
  }
  return b;
}

type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

function multipart(parts: Part[]) {
  const boundary = '----smtest7MA4YWxkTrZu0gW';
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in p) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`,
        ),
      );
      chunks.push(p.data);
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('POST /api/v1/audio/analyze (the engine on worker threads)', () => {
  let app: FastifyInstance;
  let user: Awaited<ReturnType<typeof newUser>>;
  const kick = wav(0.5, 60);

  beforeAll(async () => {
    // 0.06 MB: the 0.5 s test file (44 kB) fits, a 1 s one (88 kB) does not.
    ({ app } = await testApp({}, { MAX_UPLOAD_MB: '0.06', ANALYSIS_WORKERS: '1' }));
    user = await newUser(app);
  });
  afterAll(async () => {
    await app?.close();
    cleanupTmp();
  });

  const upload = (parts: Part[], headers: Record<string, string> = user.headers) => {
    const body = multipart(parts);
    return app.inject({
      method: 'POST',
      url: '/api/v1/audio/analyze',
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };

  it('analyses an upload and answers the result without storing it', async () => {
    const r = await upload([{ name: 'file', filename: 'Kick 01.wav', type: 'audio/wav', data: kick }]);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.stored).toBe(false);
    expect(body.sample).toBeNull();
    expect(body.result.format).toMatchObject({ container: 'wav', sampleRate: 44100, channels: 1 });
    expect(body.result.format.durationSec).toBeCloseTo(0.5, 2);
    expect(body.result.contentHash).toMatch(/^[0-9a-f]{32}$/);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/audio/files', headers: user.headers })).json().items,
    ).toEqual([]);
  });

  it('stores metadata and features (never audio) when asked', async () => {
    const r = await upload([
      { name: 'store', value: 'true' },
      { name: 'file', filename: 'Kick 02.wav', type: 'application/octet-stream', data: kick },
    ]);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.stored).toBe(true);
    expect(body.sample).toMatchObject({ id: body.result.contentHash, name: 'Kick 02.wav' });
    const one = await app.inject({
      method: 'GET',
      url: `/api/v1/audio/files/${body.result.contentHash}`,
      headers: user.headers,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().analysis.features).toEqual(body.result.features);
    // The server-side write is not a client: it does not appear in the sync client list.
    const pull = (
      await app.inject({ method: 'GET', url: '/api/v1/sync/pull', headers: user.headers })
    ).json();
    expect(pull.samples.map((s: { id: string }) => s.id)).toEqual([body.result.contentHash]);
    expect(pull.clients).toEqual({});
  });

  it('answers clear 4xx for bad uploads', async () => {
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/audio/analyze',
      headers: user.headers,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    const text = await upload([
      { name: 'file', filename: 'notes.txt', type: 'text/plain', data: Buffer.from('hello') },
    ]);
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toMatch(/not an audio file/);
    const big = await upload([{ name: 'file', filename: 'long.wav', type: 'audio/wav', data: wav(1, 60) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload-too-large');
    const none = await upload([{ name: 'store', value: 'true' }]);
    expect(none.statusCode).toBe(400);
    const junk = await upload([
      {
        name: 'file',
        filename: 'junk.wav',
        type: 'audio/wav',
        data: Buffer.from('definitely not a riff file at all'),
      },
    ]);
    expect(junk.statusCode).toBeGreaterThanOrEqual(400);
    expect(junk.statusCode).toBeLessThan(500);
    expect(junk.json().error).toMatch(/^analysis-/);
    const badField = await upload([
      { name: 'store', value: 'maybe' },
      { name: 'file', filename: 'Kick 03.wav', type: 'audio/wav', data: kick },
    ]);
    expect(badField.statusCode).toBe(400);
  });

  it('requires authentication', async () => {
    const r = await upload([{ name: 'file', filename: 'Kick 01.wav', type: 'audio/wav', data: kick }], {});
    expect(r.statusCode).toBe(401);
  });
});

import { describe, expect, it } from 'vitest';
import { readSse, SseParser } from './sse';

const STREAM =
  ': keep-alive\n\nevent: meta\ndata: {"provider":"openai"}\n\nevent: description\ndata: {"delta":"A"}\r\n\r\n' +
  'data: line one\ndata: line two\n\nevent: result\ndata:{"ok":true}\r\rdata: cut off';

describe('SseParser', () => {
  it('parses events however the stream is split into chunks', () => {
    const whole = new SseParser().push(STREAM);
    expect(whole).toEqual([
      { event: 'meta', data: '{"provider":"openai"}' },
      { event: 'description', data: '{"delta":"A"}' },
      { event: 'message', data: 'line one\nline two' },
      { event: 'result', data: '{"ok":true}' },
    ]);
    // Every split point, including between \r and \n.
    for (let cut = 1; cut < STREAM.length; cut++) {
      const p = new SseParser();
      expect([...p.push(STREAM.slice(0, cut)), ...p.push(STREAM.slice(cut))]).toEqual(whole);
    }
    // One character at a time.
    const p = new SseParser();
    expect([...STREAM].flatMap((c) => p.push(c))).toEqual(whole);
  });

  it('reads a body stream and drops an event cut off at the end', async () => {
    const bytes = new TextEncoder().encode('event: a\ndata: é\n\nevent: b\ndata: x');
    // Split inside the two-byte "é" too.
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.slice(0, 16));
        c.enqueue(bytes.slice(16));
        c.close();
      },
    });
    const got = [];
    for await (const e of readSse(body)) got.push(e);
    expect(got).toEqual([{ event: 'a', data: 'é' }]);
  });
});

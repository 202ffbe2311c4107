import { describe, expect, it } from 'vitest';
import { DescriptionStream } from './provider-call';
import { Semaphore } from './semaphore';

function feed(text: string, count: number, step: number) {
  const got: string[] = Array.from({ length: count }, () => '');
  const d = new DescriptionStream(count, (i, delta) => {
    got[i] += delta;
  });
  for (let n = step; n < text.length + step; n += step) d.update(text.slice(0, n));
  return got;
}

describe('DescriptionStream', () => {
  const answer = JSON.stringify({
    items: [
      { ref: 's2', description: 'Second \\"quoted\\" — ünïcode \u00e9.', tags: [] },
      { ref: 's1', description: 'First one.', tags: [] },
    ],
  });

  it('reassembles each description from any chunking, tied to its ref', () => {
    for (const step of [1, 3, 7, 50, 1000]) {
      expect(feed(answer, 2, step)).toEqual(['First one.', 'Second \\"quoted\\" — ünïcode é.']);
    }
  });

  it('takes descriptions in order when there are no refs, and ignores extras', () => {
    const text = JSON.stringify({
      items: [{ description: 'a' }, { description: 'b' }, { description: 'c' }],
    });
    expect(feed(text, 2, 4)).toEqual(['a', 'b']);
  });
});

describe('Semaphore', () => {
  it('hands slots over in order and lets an aborted waiter leave the queue', async () => {
    const s = new Semaphore(1);
    const order: string[] = [];
    const first = await s.acquire();
    const ctl = new AbortController();
    const aborted = s.acquire(ctl.signal).then(
      () => order.push('aborted-got-slot'),
      () => order.push('aborted'),
    );
    const second = s.acquire().then((release) => {
      order.push('second');
      return release;
    });
    expect(s.queued).toBe(2);
    ctl.abort(new Error('gone'));
    await aborted;
    first();
    (await second)();
    expect(order).toEqual(['aborted', 'second']);
    expect(s.inFlight).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args';

describe('CLI arguments', () => {
  it('parses analyze with options in any order', () => {
    expect(parseArgs(['analyze', 'a.wav', '--jsonl', 'dir', '--concurrency', '3'])).toEqual({
      command: 'analyze',
      inputs: ['a.wav', 'dir'],
      isJsonl: true,
      concurrency: 3,
      isCompact: false,
    });
    expect(parseArgs(['analyse', '--concurrency=2', '--compact', 'x'])).toMatchObject({
      concurrency: 2,
      isCompact: true,
    });
  });

  it('rejects what it does not understand with a specific message', () => {
    expect(() => parseArgs(['analyze'])).toThrow(/at least one file or folder/);
    expect(() => parseArgs(['analyze', 'x', '--concurrency', '0'])).toThrow(
      /whole number from 1 to 64, got "0"/,
    );
    expect(() => parseArgs(['analyze', 'x', '--fast'])).toThrow(UsageError);
    expect(() => parseArgs(['frobnicate'])).toThrow(/unknown command "frobnicate"/);
  });

  it('answers help and version', () => {
    expect(parseArgs([])).toEqual({ command: 'help' });
    expect(parseArgs(['--version'])).toEqual({ command: 'version' });
  });
});

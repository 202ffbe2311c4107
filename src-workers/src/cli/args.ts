export type AnalyzeArgs = {
  command: 'analyze';
  inputs: string[];
  isJsonl: boolean;
  concurrency: number | null;
  isCompact: boolean;
};

export type ParsedArgs = AnalyzeArgs | { command: 'help' } | { command: 'version' };

export class UsageError extends Error {}

export const USAGE = `Usage: samplemind analyze <files or folders…> [--jsonl] [--concurrency N] [--compact]

  analyze        decode and analyse audio files; folders are walked recursively
  --jsonl        one JSON object per line: {path, …result} or {path, error: {code, message}}
  --concurrency  worker threads (default: CPU cores − 1, at least 1, at most 8)
  --compact      leave the feature vector and waveform peaks out of the JSON
Progress goes to stderr.`;

export function parseArgs(argv: string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h')
    return { command: 'help' };
  if (command === '--version' || command === 'version') return { command: 'version' };
  if (command !== 'analyze' && command !== 'analyse') throw new UsageError(`unknown command "${command}"`);
  const out: AnalyzeArgs = {
    command: 'analyze',
    inputs: [],
    isJsonl: false,
    concurrency: null,
    isCompact: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--jsonl') out.isJsonl = true;
    else if (a === '--compact') out.isCompact = true;
    else if (a === '--concurrency' || a.startsWith('--concurrency=')) {
      const value = a.includes('=') ? a.split('=')[1] : rest[++i];
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 64)
        throw new UsageError(`--concurrency needs a whole number from 1 to 64, got "${value}"`);
      out.concurrency = n;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option "${a}"`);
    else out.inputs.push(a);
  }
  if (out.inputs.length === 0) throw new UsageError('analyze needs at least one file or folder');
  return out;
}

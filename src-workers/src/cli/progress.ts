type Stream = { write(s: string): boolean; isTTY?: boolean };

/** Progress on stderr: a live line on a terminal, a line every few seconds otherwise. */
export function createProgress(total: number, out: Stream) {
  const started = performance.now();
  let done = 0;
  let failed = 0;
  let lastPrint = 0;
  const line = () => {
    const sec = (performance.now() - started) / 1000;
    const rate = done / Math.max(sec, 1e-3);
    const eta = rate > 0 ? (total - done) / rate : 0;
    return `[${done}/${total}] ${rate.toFixed(1)} files/s, ${failed} failed, ETA ${eta.toFixed(0)} s`;
  };
  return {
    tick(isOk: boolean) {
      done++;
      if (!isOk) failed++;
      const now = performance.now();
      if (out.isTTY) {
        if (now - lastPrint > 100 || done === total) {
          out.write(`\r${line()}`);
          lastPrint = now;
        }
      } else if (now - lastPrint > 2000 || done === total) {
        out.write(`${line()}\n`);
        lastPrint = now;
      }
    },
    finish() {
      if (out.isTTY) out.write('\n');
    },
  };
}

import { appendFileSync } from 'node:fs';

type Write = typeof process.stdout.write;

/**
 * Where the functions' own output goes while they run: their structured JSON logs and EMF metrics
 * (what Lambda sends to CloudWatch Logs) are appended to a file instead of interleaving with the demo's
 * narration. Re-entrant: concurrent invocations (a Distributed Map's batches) share one capture.
 */
export class FunctionLogs {
  private active = 0;
  private restore: (() => void) | undefined;

  constructor(readonly path: string) {}

  /** Run `work` with stdout and stderr written to the log file. */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.start();
    try {
      return await work();
    } finally {
      this.stop();
    }
  }

  private start(): void {
    this.active += 1;
    if (this.active > 1) return;
    const { stdout, stderr } = process;
    const out = stdout.write.bind(stdout);
    const err = stderr.write.bind(stderr);
    const toFile = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      appendFileSync(this.path, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;
    stdout.write = toFile;
    stderr.write = toFile;
    this.restore = () => {
      stdout.write = out;
      stderr.write = err;
    };
  }

  private stop(): void {
    this.active -= 1;
    if (this.active > 0) return;
    this.restore?.();
    this.restore = undefined;
  }
}

/**
 * An OpenLDAP tool that runs until told to stop (ldapsearch -E sync=rp), watched line by line: a
 * spec waits for it to say something (the persist stage began, a change arrived), then stops it
 * and reads everything it printed.
 */
import { spawn } from 'node:child_process';

export interface LiveTool {
  /** Resolves once the output matches `pattern` `count` times (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, count?: number, timeoutMs?: number): Promise<void>;
  /** Ends it (SIGTERM) and resolves with all it printed. */
  stop(): Promise<string>;
}

export const startLiveTool = (file: string, args: readonly string[], env: Record<string, string | undefined>): LiveTool => {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) clean[key] = value;
  const child = spawn(file, args, { env: clean, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const listener of [...listeners]) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    waitFor: (pattern, count = 1, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
        const check = (): void => {
          if ((output.match(global)?.length ?? 0) < count) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${file} did not print ${pattern} ${count} times within ${timeoutMs} ms; it printed:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      return output;
    },
  };
};

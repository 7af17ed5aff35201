/**
 * A real terminal for the command to run in: a tmux session on a private socket, read with
 * capture-pane (what a user would see) and typed into with send-keys.
 */
import { execFile } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

export class TmuxSession {
  private constructor(private readonly socket: string) {}

  /**
   * Runs `argv` with `env` in a new 160×40 terminal. When it ends, `[exit N]` is printed and the
   * pane stays, so its last screen can still be read.
   */
  static async start(dir: string, argv: readonly string[], env: Record<string, string>): Promise<TmuxSession> {
    const script = join(dir, `tmux-${Date.now()}.sh`);
    const exports = Object.entries(env).map(([key, value]) => `export ${key}=${shellQuote(value)}`);
    writeFileSync(script, ['#!/bin/sh', ...exports, `${argv.map(shellQuote).join(' ')}`, 'echo "[exit $?]"', 'exec sleep 3600', ''].join('\n'));
    chmodSync(script, 0o700);
    const session = new TmuxSession(join(dir, 'tmux.sock'));
    await session.tmux(['new-session', '-d', '-s', 'spec', '-x', '160', '-y', '40', script]);
    return session;
  }

  private async tmux(args: readonly string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    return stdout;
  }

  /** The visible screen, trailing blank lines dropped. */
  async screen(): Promise<string> {
    return (await this.tmux(['capture-pane', '-p', '-t', 'spec'])).replace(/\n+$/, '');
  }

  /** Polls the screen until `pattern` is on it (bounded: fails after `ms`). */
  async waitFor(pattern: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = await this.screen();
      const match = pattern.exec(screen);
      if (match !== null) return match;
      if (Date.now() > deadline) throw new Error(`${pattern} not on the screen within ${ms} ms; the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Types `text` literally. */
  async type(text: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'spec', '-l', text]);
  }

  async press(key: string): Promise<void> {
    await this.tmux(['send-keys', '-t', 'spec', key]);
  }

  async kill(): Promise<void> {
    await this.tmux(['kill-server']).catch(() => undefined);
  }
}

/**
 * What a command may touch of the process: its streams, environment, and the signal that says
 * the user asked it to stop (SIGINT or SIGTERM). bin.ts wires the real process; specs may wire
 * their own.
 */
export interface CliStream {
  write(text: string, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface CliIO {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted when the user asks the command to stop (SIGINT, SIGTERM) or the output was closed (EPIPE). */
  readonly stop: AbortSignal;
}

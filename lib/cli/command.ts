import type { CliIO } from './io';

/** One subcommand of rxldap. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The text of `rxldap <name> --help`. */
  readonly help: string;
  /** Runs with the arguments after the command's name; resolves with the exit code, or throws (see exit-codes.ts). */
  run(args: readonly string[], io: CliIO): Promise<number>;
}

/** Why io.stop was aborted when the output was closed under us (`rxldap search | head`): not a failure. */
export const OUTPUT_CLOSED = 'output closed';

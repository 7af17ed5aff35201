/**
 * A mistake in how the command was called: an unknown option, a missing argument, a value of
 * the wrong form, a file that cannot be read. Exit code 1, the message and a pointer to --help.
 * The command's own class, not the library's: the library never raises it.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to point at (none for the top level). */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

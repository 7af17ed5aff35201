/** Command-line helpers shared by the bench entry points. */

/** Prints `usage` and exits when --help was given. */
export const exitWithUsageOnHelp = (help: boolean | undefined, usage: string): void => {
  if (help !== true) return;
  console.log(usage);
  process.exit(0);
};

/** A reader of whole-number options (`100_000` allowed) that names the option and the usage on a bad value. */
export const integerOptions =
  (usage: string) =>
  (name: string, text: string | undefined, fallback: number, min: number): number => {
    if (text === undefined) return fallback;
    const value = Number(text.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, not '${text}'\n${usage}`);
    return value;
  };

/**
 * The state file of `watch --state`: the search it follows and the last cookie, written
 * atomically (a temporary file in the same folder, fsync, rename over the old one, fsync of
 * the folder), so a crash at any instant leaves either the old state or the new one, never a
 * torn file.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from './atomic-file';
import { UsageError } from './usage';

/** What the watch writes: the state of one format cannot resume the other (LDIF needs `known`). */
export type WatchFormat = 'ndjson' | 'ldif';

export interface WatchState {
  readonly version: 1;
  /** Absent in a state written as NDJSON before LDIF output existed. */
  readonly format?: WatchFormat;
  /** What the cookie belongs to: a cookie is only good for the same search. */
  readonly search: { readonly base: string; readonly scope: string; readonly filter: string; readonly attributes: readonly string[] };
  /** The last cookie, base64; absent until the server sent one. */
  readonly cookie?: string;
  /** LDIF output: entryUUID → DN of every entry in scope, to name the deletes syncrepl names by entryUUID alone. */
  readonly known?: Readonly<Record<string, string>>;
}

const isState = (value: unknown): value is WatchState => {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Partial<WatchState>;
  const search = state.search;
  const known = state.known;
  return (
    state.version === 1 &&
    typeof search === 'object' && search !== null &&
    typeof search.base === 'string' && typeof search.scope === 'string' && typeof search.filter === 'string' && Array.isArray(search.attributes) &&
    (state.cookie === undefined || typeof state.cookie === 'string') &&
    (state.format === undefined || state.format === 'ndjson' || state.format === 'ldif') &&
    (known === undefined || (typeof known === 'object' && known !== null && Object.values(known).every((dn) => typeof dn === 'string')))
  );
};

/** The state in `path`, or undefined when there is no such file yet. */
export const readState = (path: string, command: string): WatchState | undefined => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the state file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, command);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isState(parsed)) throw new UsageError(`${path} is not a state file of rxldap watch`, command);
  return parsed;
};

/** Replaces the state in `path` atomically and durably. */
export const writeState = (path: string, state: WatchState): void => writeFileAtomically(path, `${JSON.stringify(state)}\n`);

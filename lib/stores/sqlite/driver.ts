import type BetterSqlite3 from 'better-sqlite3';
import { SyncStoreStateError } from '../../errors';

type DatabaseConstructor = typeof BetterSqlite3;

let loaded: Promise<DatabaseConstructor> | undefined;

/**
 * better-sqlite3, loaded on first use: it is an optional peer dependency, so importing
 * rxldap/sqlite-store costs nothing and fails nothing until a store is opened, and then fails
 * with a message that says what to install.
 */
export const loadDriver = (): Promise<DatabaseConstructor> =>
  (loaded ??= import('better-sqlite3').then(
    (module) => module.default,
    (error: unknown) => {
      loaded = undefined;
      throw new SyncStoreStateError('SqliteSyncStore needs the better-sqlite3 package (npm install better-sqlite3@12)', { cause: error });
    },
  ));

/**
 * Where better-sqlite3 resolves from here, for the writer thread (see writer.ts), which loads it
 * by path. Called after loadDriver succeeded, so it is installed.
 */
export const driverPath = (): string => require.resolve('better-sqlite3');

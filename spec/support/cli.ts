/**
 * Running the built `rxldap` command (dist/cli.cjs, what package.json's bin names) as a real
 * process, and reading what OpenLDAP's ldapsearch prints, so the two can be compared.
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runTool } from './slapd/tools';
import type { ToolResult } from './slapd/tools';

/** The repository this spec was compiled from (its package.json says name: rxldap). */
export const repoRoot = (): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path) && (JSON.parse(readFileSync(path, 'utf8')) as { name?: string }).name === 'rxldap') return dir;
    if (dirname(dir) === dir) throw new Error(`no rxldap package.json above ${__dirname}`);
  }
};

/** dist/cli.cjs, built by `npm run bundle` (npm test builds it when a source changed). */
export const cliPath = (): string => {
  const path = join(repoRoot(), 'dist', 'cli.cjs');
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run bundle`);
  return path;
};

/** The parent's environment without anything that could steer the command or OpenLDAP's tools, plus `env`. */
export const cliEnv = (env: Record<string, string | undefined> = {}): Record<string, string | undefined> => {
  const clean: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('RXLDAP_') && !key.startsWith('LDAP') && key !== 'NODE_OPTIONS') clean[key] = value;
  return { ...clean, ...env };
};

/** Runs `rxldap args…` to its end. */
export const runCli = (args: readonly string[], options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {}): Promise<ToolResult> =>
  runTool(process.execPath, [cliPath(), ...args], { env: cliEnv(options.env), ...(options.input === undefined ? {} : { input: options.input }), timeoutMs: options.timeoutMs ?? 30_000 });

/** Starts `rxldap args…` and leaves it running (a watch). */
export const spawnCli = (args: readonly string[], env: Record<string, string | undefined> = {}): ChildProcessWithoutNullStreams => {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(cliEnv(env))) if (value !== undefined) clean[key] = value;
  return spawn(process.execPath, [cliPath(), ...args], { env: clean, stdio: ['pipe', 'pipe', 'pipe'] });
};

/** An entry as both tools are reduced to for comparison: attribute name (lower case) → its values as base64 of their bytes, sorted. */
export type ComparableEntries = Map<string, Record<string, string[]>>;

const addValue = (attributes: Record<string, string[]>, name: string, bytes: Buffer): void => {
  (attributes[name.toLowerCase()] ??= []).push(bytes.toString('base64'));
};

const sortValues = (entries: ComparableEntries): ComparableEntries => {
  for (const attributes of entries.values()) for (const values of Object.values(attributes)) values.sort();
  return entries;
};

/** `ldapsearch -LLL` output: `name: value` and `name:: base64` lines (folded or not), entries apart by blank lines. */
export const entriesFromLdif = (ldif: string): ComparableEntries => {
  const entries: ComparableEntries = new Map();
  // A line that starts with one space continues the one before (RFC 2849 folding).
  for (const block of ldif.replace(/\n /g, '').split(/\n\n+/)) {
    let dn: string | undefined;
    const attributes: Record<string, string[]> = {};
    for (const line of block.split('\n')) {
      const match = /^([^:]+)(::?) ?(.*)$/.exec(line);
      if (match === null) continue;
      const [, name = '', colons, raw = ''] = match;
      const bytes = colons === '::' ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
      if (name === 'dn') dn = bytes.toString('utf8');
      else addValue(attributes, name, bytes);
    }
    if (dn !== undefined) entries.set(dn, attributes);
  }
  return sortValues(entries);
};

/** rxldap's NDJSON (or the items of its --json array): `{dn, attributes}` with `name;base64` for values that are not UTF-8. */
export const entriesFromJson = (items: ReadonlyArray<{ dn: string; attributes: Record<string, string[]> }>): ComparableEntries => {
  const entries: ComparableEntries = new Map();
  for (const { dn, attributes } of items) {
    const comparable: Record<string, string[]> = {};
    for (const [key, values] of Object.entries(attributes)) {
      const binary = key.endsWith(';base64');
      const name = binary ? key.slice(0, -';base64'.length) : key;
      for (const value of values) addValue(comparable, name, Buffer.from(value, binary ? 'base64' : 'utf8'));
    }
    entries.set(dn, comparable);
  }
  return sortValues(entries);
};

/** Each line of NDJSON text, parsed. */
export const ndjson = <T = Record<string, unknown>>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T);

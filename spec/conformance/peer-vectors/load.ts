/**
 * Finds and reads ../shared/peer-vectors (see its README.md): conformance cases taken from
 * other LDAP libraries' test suites and the RFCs' examples, each classified against the RFCs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One case, as the files spell it; which fields are present depends on `kind`. */
export interface PeerVector {
  id: string;
  kind: string;
  class: 'same' | 'peer' | 'diff' | 'na';
  input?: unknown;
  expect?: unknown;
  rx?: unknown;
  compare?: 'semantic';
  a?: string;
  b?: string;
  rel?: string;
  notypes?: boolean;
  /** filter.match: the filter as text, or (UnboundID's cases) as an AST. */
  filter?: unknown;
  entry?: { dn: string; attrs: Record<string, string[]> };
  parts?: string[];
  values?: unknown[];
}

export interface VectorFile {
  file: string;
  suite: string;
  vectors: PeerVector[];
}

/** The repository root: the nearest folder above `from` that holds a package.json. */
export const repositoryRoot = (from: string): string => {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
};

export const peerVectorsDir = (from: string): string => join(repositoryRoot(from), '..', 'shared', 'peer-vectors');

export const loadVectorFiles = (dir: string): VectorFile[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { suite: string; vectors: PeerVector[] };
      return { file, suite: parsed.suite, vectors: parsed.vectors };
    });

/** README: "Must pass: every case of class `same`, and every case with an `rx`." */
export const mustPass = (vector: PeerVector): boolean => vector.class === 'same' || 'rx' in vector;

/** What rxldap must give: the RFC's answer (`rx`) where the peer's differs, else the peer's. */
export const wanted = (vector: PeerVector): unknown => ('rx' in vector ? vector.rx : vector.expect);

/** `{ "error": true }`: the input must be refused. */
export const wantsError = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { error?: unknown }).error === true;

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The folder of rxldap's package.json, from source (ts-node) or from dist alike. */
export const repoRoot = (): string => {
  if (root !== undefined) return root;
  let dir = __dirname;
  for (;;) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'rxldap') return (root = dir);
    } catch {
      // not here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find rxldap's package.json above ${__dirname}`);
    dir = parent;
  }
};

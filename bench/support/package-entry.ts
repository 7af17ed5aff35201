import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `require('rxldap')` loads from an outDir: the bundle package.json names as main
 * (rxldap.js), or lib/index.js for a build that has none (an A/B build made by tsc alone).
 * Only node:fs and node:path, which node has loaded before any script runs: the rxldap client
 * process uses it too, and must not pay for it.
 */
export const packageEntry = (outDir: string): string => {
  const bundle = join(outDir, 'rxldap.js');
  return existsSync(bundle) ? bundle : join(outDir, 'lib', 'index.js');
};

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * What `require('rxldap')` loads from an outDir: the CommonJS bundle package.json's exports map
 * names for `require` (rxldap.cjs), the single bundle of an older build (rxldap.js), or
 * lib/index.js for a build that has none (an A/B build made by tsc alone).
 * Only node:fs, node:path and node:url, which node has loaded before any script runs: the rxldap
 * client process uses it too, and must not pay for it.
 */
export const packageEntry = (outDir: string): string => {
  for (const bundle of ['rxldap.cjs', 'rxldap.js']) {
    if (existsSync(join(outDir, bundle))) return join(outDir, bundle);
  }
  return join(outDir, 'lib', 'index.js');
};

/**
 * What `import('rxldap')` loads from an outDir, as a URL for import(): the ES module bundle the
 * exports map names for `import`, or, for an older build without one, what require would load
 * (node then imports the CommonJS bundle through its export scanner, as it did for users).
 */
export const esmPackageEntry = (outDir: string): string => {
  const bundle = join(outDir, 'rxldap.mjs');
  return pathToFileURL(existsSync(bundle) ? bundle : packageEntry(outDir)).href;
};

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
 * What Node's `import('rxldap')` loads from an outDir, as a URL for import(): the module the
 * exports map names for `import` under Node's conditions (rxldap.node.mjs, which hands out the
 * CommonJS bundle's exports; rxldap.mjs in builds before it), or, for an older build without
 * either, what require would load (node then imports the CommonJS bundle through its export
 * scanner, as it did for users).
 */
export const esmPackageEntry = (outDir: string): string => {
  const bundle = ['rxldap.node.mjs', 'rxldap.mjs'].map((file) => join(outDir, file)).find((path) => existsSync(path));
  return pathToFileURL(bundle ?? packageEntry(outDir)).href;
};

/**
 * `npm run build` only when a source changed since the last build: the examples and the bench
 * need a build, but a full one (tsc, bundles, declarations) takes seconds they need not pay when
 * nothing changed. The last build leaves dist/.build-stamp; any file under the folders below
 * that is newer means a new build.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = ['lib', 'examples', 'spec', 'bench', 'scripts', 'tsconfig.json', 'package.json', 'package-lock.json', 'api-extractor.json', 'api-extractor.wire.json'];

const newestUnder = (path) => {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestUnder(join(path, name))));
};

const built = statSync(join(root, 'dist', '.build-stamp'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...sources.map((source) => newestUnder(join(root, source))));
if (changed > built) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

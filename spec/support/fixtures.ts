/** Loads the captured wire fixtures (spec/fixtures/wire) from the source tree, whatever outDir the specs run from. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const findRepoRoot = (): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('cannot find the repository root from ' + __dirname);
    dir = parent;
  }
  return dir;
};

export const wireFixtureDir = join(findRepoRoot(), 'spec', 'fixtures', 'wire');

export interface WireFixture {
  /** e.g. "search-paged.0.server" */
  name: string;
  bytes: Buffer;
}

export const loadWireFixtures = (): WireFixture[] =>
  readdirSync(wireFixtureDir)
    .filter((file) => file.endsWith('.bin'))
    .sort()
    .map((file) => ({ name: file.slice(0, -4), bytes: readFileSync(join(wireFixtureDir, file)) }));

export const loadWireFixture = (name: string): Buffer => readFileSync(join(wireFixtureDir, `${name}.bin`));

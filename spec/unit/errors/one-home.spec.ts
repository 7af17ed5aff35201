import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as api from '../../../lib';
import * as errors from '../../../lib/errors';
import { RxLdapError } from '../../../lib/errors';

/*
 * Every error class has one home, lib/errors, and one root, RxLdapError: a caller's
 * `instanceof RxLdapError` separates rxldap's failures from its own, and a reader finds every
 * failure rxldap can raise in one folder.
 */

type ErrorClass = abstract new (...args: never[]) => Error;

const isErrorClass = (value: unknown): value is ErrorClass =>
  typeof value === 'function' && (value === Error || (value as { prototype: unknown }).prototype instanceof Error);

const errorClassesOf = (module: object): Array<[string, ErrorClass]> =>
  Object.entries(module).filter((entry): entry is [string, ErrorClass] => isErrorClass(entry[1]));

/** Walks up from this compiled spec to the directory holding package.json. */
const repoRoot = (): string => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error(`cannot find the repository root from ${__dirname}`);
    dir = parent;
  }
  return dir;
};

const filesUnder = (dir: string, extension: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, extension);
    return entry.name.endsWith(extension) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });

/**
 * lib/cli/ is a program on the package, not part of the library: its UsageError (a bad command
 * line) never leaves the process, it becomes exit code 1, so it is not one of rxldap's errors.
 */
const isProgram = (path: string): boolean => path.startsWith('cli');

describe('errors: one home for every error class', () => {
  const exported = errorClassesOf(api);

  it('the public API exports error classes (the checks below are not vacuous)', () => {
    expect(exported.map(([name]) => name)).to.include.members(['RxLdapError', 'ProtocolError', 'LdapError', 'NoSuchObjectError', 'SaslError', 'InvalidUrlError']);
  });

  for (const [name, cls] of exported) {
    it(`${name} extends RxLdapError, is named after its class and comes from lib/errors`, () => {
      expect(cls === RxLdapError || cls.prototype instanceof RxLdapError, 'extends RxLdapError').to.equal(true);
      expect(cls.name, 'class name').to.equal(name);
      // Constructed without arguments: only the name matters here, which the base sets from new.target.
      const instance = Reflect.construct(cls, []) as Error;
      expect(instance.name, 'instance name').to.equal(name);
      expect((errors as Record<string, unknown>)[name], 'the same class, exported by lib/errors').to.equal(cls);
    });
  }

  it('lib/errors exports no error class the public API leaves out (but the abstract base of the per-code classes)', () => {
    const internal = new Set(['CodedLdapError']);
    expect(errorClassesOf(errors).map(([name]) => name).filter((name) => !internal.has(name)).sort()).to.deep.equal(exported.map(([name]) => name).sort());
  });

  it('no module outside lib/errors exports an error class of its own', () => {
    const compiledLib = resolve(__dirname, '../../../lib');
    const sourceLib = join(repoRoot(), 'lib');
    const strays: string[] = [];
    for (const file of filesUnder(compiledLib, '.js')) {
      const path = relative(compiledLib, file);
      // A stale output whose source is gone (a module moved since the last clean build) is not the code under test.
      if (path.startsWith('errors') || isProgram(path) || !existsSync(join(sourceLib, path.replace(/\.js$/, '.ts')))) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every compiled module is loaded by path, to find stray error classes
      for (const [name, cls] of errorClassesOf(require(file) as object)) {
        if ((errors as Record<string, unknown>)[name] !== cls) strays.push(`${path}: ${name}`);
      }
    }
    expect(strays).to.deep.equal([]);
  });

  it('no source file outside lib/errors declares an error class, exported or not', () => {
    const lib = join(repoRoot(), 'lib');
    const strays: string[] = [];
    for (const file of filesUnder(lib, '.ts')) {
      if (relative(lib, file).startsWith('errors') || isProgram(relative(lib, file))) continue;
      for (const match of readFileSync(file, 'utf8').matchAll(/\bclass\s+(\w+)\s+extends\s+(\w*Error)\b/g)) {
        strays.push(`${relative(lib, file)}: ${match[1]} extends ${match[2]}`);
      }
    }
    expect(strays).to.deep.equal([]);
  });
});

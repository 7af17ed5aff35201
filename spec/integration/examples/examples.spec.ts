/**
 * Every example runs as written, as CI runs it: a separate Node process on the compiled file,
 * importing the package by its name (`rxldap`, resolved through package.json's exports to the
 * built bundle), so an example cannot rot or lean on the source tree.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const dist = resolve(__dirname, '..', '..', '..');

const run = (name: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((done) => {
    execFile(process.execPath, [join(dist, 'examples', `${name}.js`)], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });

const EXAMPLES: ReadonlyArray<{ name: string; expect: RegExp }> = [
  { name: 'decode-capture', expect: /"dn":"ou=people,dc=example,dc=com"/ },
  { name: 'quick-start', expect: /deleting it twice: NoSuchObjectError/ },
  { name: 'change-feed', expect: /"type":"add"/ },
  { name: 'syncrepl-callbacks', expect: /\[live\] bound/ },
  // Every part of the story, in whatever order the two processes' lines interleave.
  { name: 'failover', expect: /^(?=[\s\S]*FAILOVER from)(?=[\s\S]*resuming from the last cookie)(?=[\s\S]*now says "change 6")(?=[\s\S]*whoami on the same client: dn:cn=admin)/ },
];

describe('examples, run as written', function () {
  this.timeout(90_000);
  for (const example of EXAMPLES) {
    it(`${example.name} imports rxldap by name and runs to completion`, async () => {
      const compiled = await readFile(join(dist, 'examples', `${example.name}.js`), 'utf8');
      expect(compiled).to.match(/require\("rxldap(?:\/wire)?"\)/);
      expect(compiled).to.not.match(/require\("\.\.\/lib/);
      // No example needs slapd: those with a server start rxldap's in-memory directory.
      expect(compiled).to.not.match(/support\/slapd/);
      const result = await run(example.name);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(example.expect);
    });
  }
});

/**
 * RFC conformance from other projects' test suites: every must-pass case of
 * ../shared/peer-vectors (README.md there: every case of class `same`, and every case with an
 * `rx`) through rxldap's own DN, filter, URL and SASLprep code, one test per case so a failure
 * names it. CI always has the folder; a developer's checkout may not, and then the run says so.
 */
import { existsSync } from 'node:fs';
import { dnChecks } from './peer-vectors/dn-checks';
import { filterChecks } from './peer-vectors/filter-checks';
import { loadVectorFiles, mustPass, peerVectorsDir } from './peer-vectors/load';
import type { PeerVector } from './peer-vectors/load';
import { urlAndSaslprepChecks } from './peer-vectors/url-and-saslprep-checks';

const checks: Record<string, (vector: PeerVector) => void> = { ...dnChecks, ...filterChecks, ...urlAndSaslprepChecks };
const dir = peerVectorsDir(__dirname);

describe('RFC conformance: peer vectors (../shared/peer-vectors)', () => {
  if (!existsSync(dir)) {
    it(`needs ${dir}`, function () {
      // Under CI a missing folder is a failure: the conformance run must not vanish silently.
      if (process.env.CI === undefined || process.env.CI === '') this.skip();
      throw new Error(`the peer vectors are missing: ${dir} does not exist`);
    });
    return;
  }
  for (const { file, suite, vectors } of loadVectorFiles(dir)) {
    describe(`${suite} (${file})`, () => {
      for (const vector of vectors.filter(mustPass)) {
        it(`${vector.kind}: ${vector.id}`, () => {
          const check = checks[vector.kind];
          if (check === undefined) throw new Error(`no check for kind ${vector.kind}`);
          check(vector);
        });
      }
    });
  }
});

/**
 * `npm run test:memory`: the client's own integration specs against rxldap's in-memory directory
 * instead of slapd (RXLDAP_TEST_DIRECTORY=memory makes spec/support/slapd's startSlapd() and
 * sharedSlapd() start the directory dressed as the rig: spec/support/memory/instance.ts).
 *
 * The specs below run whole, except the tests named in KNOWN_DIFFERENCES: each needs something
 * slapd has and the in-memory directory does not (README, "Known differences from slapd").
 */
const KNOWN_DIFFERENCES = [
  // SASL EXTERNAL over ldapi: Node cannot read a Unix socket peer's credentials.
  'SASL EXTERNAL over ldapi binds as the peer credentials',
  // The ppolicy overlay (password policy) is not emulated.
  'ppolicy: a bind with an expiring password',
  // The directory runs in the test's own process: there is no slapd process to SIGSTOP.
  'a bind that timed out while slapd was stopped does not take effect',
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

module.exports = {
  spec: [
    'dist/spec/integration/client/operations.spec.js',
    'dist/spec/integration/client/options.spec.js',
    'dist/spec/integration/client/paged-search.spec.js',
    'dist/spec/integration/client/syncrepl.spec.js',
    'dist/spec/integration/client/faults-and-faces.spec.js',
    'dist/spec/integration/client/public-face.spec.js',
    'dist/spec/integration/client/regressions.spec.js',
    'dist/spec/integration/client/pool.spec.js',
    'dist/spec/integration/client/keepalive.spec.js',
    'dist/spec/integration/client/tls-concurrency.spec.js',
    'dist/spec/integration/client/hardening.spec.js',
  ],
  'node-option': ['enable-source-maps'],
  require: ['dist/spec/support/mocha-hooks.js'],
  timeout: 30000,
  grep: KNOWN_DIFFERENCES.map(escape).join('|'),
  invert: true,
};

/**
 * startProviderPair(): two throw-away slapd providers in multi-provider replication, for tests
 * of failover and of change feeds across a server's loss. The recipe and its pitfalls are in
 * ../shared/servers/README.md ("Two providers in multi-provider replication"):
 *
 * 1. A starts with the data; B starts with `slapcat` of A, so both hold the same entries with
 *    the same entryUUID and entryCSN and their first sync has nothing to move.
 * 2. On each, over ldapi as the EXTERNAL root: its own olcServerID (1, 2: with none both stamp
 *    their changes with ID 0), an olcSyncrepl consumer of the other (the rootdn binds; retry
 *    every second for ever, so a peer that was down for a while is pulled from again) and
 *    olcMultiProvider, after the syncrepl in the same modify (before it: "not a shadow", 80).
 *
 * Each keeps its own CA and certificate: a TLS client of both needs both caCert.
 */
import { startSlapd, type SlapdInstance, type SlapdOptions } from './instance';
import { requireSuccess } from './tools';

/** Options for both providers; `ldif` is A's data, B gets A's database. */
export type ProviderPairOptions = Omit<SlapdOptions, 'ppolicy'>;

export interface ProviderPair {
  /** olcServerID 1, started with the data. */
  readonly a: SlapdInstance;
  /** olcServerID 2, seeded from A's database. */
  readonly b: SlapdInstance;
  /** The suffix's contextCSN values on one provider, sorted (one per server ID that wrote). */
  contextCSN(provider: SlapdInstance): Promise<string[]>;
  /**
   * Resolves with the common contextCSN once both providers hold the same set (the same state);
   * rejects with both sets after timeoutMs (default 10 s). Both must be running.
   */
  waitInSync(timeoutMs?: number): Promise<string[]>;
  /** Stops both. Idempotent. */
  stop(): Promise<void>;
}

/** The modify that makes `self` (server ID `id`) a provider that also consumes `peer`. */
export const multiProviderLdif = (id: number, self: SlapdInstance, peer: SlapdInstance): string =>
  [
    'dn: cn=config', 'changetype: modify', 'replace: olcServerID', `olcServerID: ${id}`, '',
    'dn: olcDatabase={1}mdb,cn=config', 'changetype: modify',
    'add: olcSyncrepl',
    `olcSyncrepl: rid=${String(id).padStart(3, '0')} provider=${peer.url} bindmethod=simple binddn="${self.adminDN}"` +
      ` credentials="${self.adminPassword}" searchbase="${self.baseDN}" type=refreshAndPersist retry="1 +" timeout=3 network-timeout=3`,
    '-',
    'add: olcMultiProvider', 'olcMultiProvider: TRUE', '',
  ].join('\n');

const configure = async (id: number, self: SlapdInstance, peer: SlapdInstance): Promise<void> => {
  requireSuccess(await self.run('ldapmodify', ['-Q', '-Y', 'EXTERNAL', '-H', self.ldapiUrl], { input: multiProviderLdif(id, self, peer) }));
};

const contextCSN = async (provider: SlapdInstance): Promise<string[]> => {
  const out = await provider.ldapsearch(['-LLL', '-s', 'base', '-b', provider.baseDN, 'contextCSN']);
  return out.split('\n').filter((line) => line.startsWith('contextCSN: ')).map((line) => line.slice('contextCSN: '.length)).sort();
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const startProviderPair = async (options: ProviderPairOptions = {}): Promise<ProviderPair> => {
  const a = await startSlapd(options);
  let b: SlapdInstance | undefined;
  try {
    b = await startSlapd({ ...options, ldif: await a.slapcat() });
    await configure(1, a, b);
    await configure(2, b, a);
  } catch (error) {
    await Promise.all([a.stop(), b?.stop()]);
    throw error;
  }
  const pairB = b;
  return {
    a,
    b: pairB,
    contextCSN,
    async waitInSync(timeoutMs = 10_000): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [onA, onB] = await Promise.all([contextCSN(a), contextCSN(pairB)]);
        if (onA.join() === onB.join()) return onA;
        if (Date.now() > deadline) throw new Error(`providers not in sync after ${timeoutMs} ms: contextCSN on A ${onA.join(' ')}, on B ${onB.join(' ')}`);
        await sleep(25);
      }
    },
    async stop(): Promise<void> {
      await Promise.all([a.stop(), pairB.stop()]);
    },
  };
};

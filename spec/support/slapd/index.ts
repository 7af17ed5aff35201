/**
 * The slapd test rig: `startSlapd()` for an instance of one's own, `sharedSlapd()` for the run's.
 * With RXLDAP_TEST_DIRECTORY=memory both give rxldap's in-memory directory dressed as the rig
 * (../memory/instance.ts); `startRealSlapd()` is always slapd (for specs that compare the two).
 */
import { memoryMode, startMemoryInstance } from '../memory/instance';
import { startSlapd as startRealSlapd, type SlapdInstance, type SlapdOptions } from './instance';

export type { SlapdInstance, SlapdOptions };
export { startRealSlapd };
export const startSlapd = (options?: SlapdOptions): Promise<SlapdInstance> => (memoryMode() ? startMemoryInstance(options) : startRealSlapd(options));
export { startProviderPair, multiProviderLdif, type ProviderPair, type ProviderPairOptions } from './provider-pair';
export { sharedSlapd, stopSharedSlapd } from './shared';
export { runTool, requireSuccess, describeFailure, type LdapTool, type ToolResult, type RunOptions } from './tools';
export { isAlive, isStopped } from '../process-state';
export { CLIENT_CERT_DN } from './tls';

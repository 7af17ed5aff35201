/** The slapd test rig: `startSlapd()` for an instance of one's own, `sharedSlapd()` for the run's. */
export { startSlapd, type SlapdInstance, type SlapdOptions } from './instance';
export { startProviderPair, multiProviderLdif, type ProviderPair, type ProviderPairOptions } from './provider-pair';
export { sharedSlapd, stopSharedSlapd } from './shared';
export { runTool, requireSuccess, describeFailure, type LdapTool, type ToolResult, type RunOptions } from './tools';
export { isAlive, isStopped } from '../process-state';
export { CLIENT_CERT_DN } from './tls';

/** The 389 Directory Server test rig: `startDs389()` for an instance of one's own, `sharedDs389()` for the run's. */
export { startDs389, type Ds389Instance, type Ds389Options } from './instance';
export { sharedDs389, stopSharedDs389 } from './shared';

/**
 * The run's shared 389-ds (see ../shared-instance.ts): creation takes ~10–40 s, so unit-only
 * runs must never pay for it and most tests share this one. Tests must leave the shared data
 * as they found it, or work on entries with names of their own.
 */
import { sharedInstance } from '../shared-instance';
import { startDs389, type Ds389Instance } from './instance';

const shared = sharedInstance(() => startDs389());

/** The run's shared instance (suffix dc=example,dc=com, an empty ou=people). */
export const sharedDs389 = (): Promise<Ds389Instance> => shared.get();

export const stopSharedDs389 = (): Promise<void> => shared.stop();

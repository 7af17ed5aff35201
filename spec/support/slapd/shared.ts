/**
 * The run's shared slapd (see ../shared-instance.ts). Tests must leave the shared data as they
 * found it (or use entries they create under their own names); a test that needs other data or
 * config starts its own with startSlapd().
 */
import { sharedInstance } from '../shared-instance';
import { startSlapd, type SlapdInstance } from './instance';

const shared = sharedInstance(() => startSlapd());

/** The run's shared instance with the default data (generatePeople(DEFAULT_PEOPLE)). */
export const sharedSlapd = (): Promise<SlapdInstance> => shared.get();

export const stopSharedSlapd = (): Promise<void> => shared.stop();

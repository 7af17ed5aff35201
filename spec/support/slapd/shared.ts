/**
 * The run's shared slapd (see ../shared-instance.ts). Tests must leave the shared data as they
 * found it (or use entries they create under their own names); a test that needs other data or
 * config starts its own with startSlapd().
 */
import { memoryMode, startMemoryInstance } from '../memory/instance';
import { sharedInstance } from '../shared-instance';
import { startSlapd, type SlapdInstance } from './instance';

// RXLDAP_TEST_DIRECTORY=memory: the run's instance is the in-memory directory (../memory/instance.ts).
const shared = sharedInstance(() => (memoryMode() ? startMemoryInstance() : startSlapd()));

/** The run's shared instance with the default data (generatePeople(DEFAULT_PEOPLE)). */
export const sharedSlapd = (): Promise<SlapdInstance> => shared.get();

export const stopSharedSlapd = (): Promise<void> => shared.stop();

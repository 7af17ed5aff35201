import { RoundTripError } from './target';

/**
 * Runs the read-back checks of an accepted input. Any error in here is a finding, even a typed
 * one: what the parser accepted, the serialiser must write and the parser must read again.
 */
export const roundTrip = (what: string, check: () => void): void => {
  try {
    check();
  } catch (error) {
    if (error instanceof RoundTripError) throw error;
    throw new RoundTripError(`${what}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, { cause: error });
  }
};

/**
 * Mocha root hook plugin (loaded with --require): stops the run's shared slapd after the last
 * test. Loading it costs nothing when no test asked for the server.
 */
import { stopSharedSlapd } from './slapd/shared';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    // Stopping waits for slapd to exit (SIGKILL after 10 s), longer than a short default timeout.
    this.timeout(30_000);
    await stopSharedSlapd();
  },
};

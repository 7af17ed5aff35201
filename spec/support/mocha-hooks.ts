/**
 * Mocha root hook plugin (loaded with --require): stops the run's shared slapd and 389-ds after the last
 * test. Loading it costs nothing when no test asked for the server.
 */
import { stopSharedDs389 } from './ds389/shared';
import { stopSharedSlapd } from './slapd/shared';

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    // Stopping waits for slapd to exit (SIGKILL after 10 s), longer than a short default timeout.
    this.timeout(30_000);
    await Promise.all([stopSharedSlapd(), stopSharedDs389()]);
  },
};

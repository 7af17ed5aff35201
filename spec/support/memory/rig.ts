/**
 * The in-memory directory configured as the slapd test rig is (spec/support/slapd/config.ts):
 * the same root DN and password, the same access rules for the data (a user may change their own
 * entry and read the rest, anonymous may only bind), the same frontend size limit. Specs that
 * compare the two servers start both from the same LDIF through here.
 */
import { startDirectory } from '../../../lib/server';
import type { AccessRule, DirectoryServer, StartDirectoryOptions } from '../../../lib/server';
import { BASE_DN } from '../data';

export const RIG_ADMIN_DN = `cn=admin,${BASE_DN}`;
export const RIG_ADMIN_PASSWORD = 'secret';

/** olcAccess of the rig's mdb database, as AccessRules. */
export const RIG_ACCESS: readonly AccessRule[] = [
  { attributes: ['userPassword'], by: [{ who: 'self', access: 'write' }, { who: 'anonymous', access: 'auth' }, { who: '*', access: 'none' }] },
  { by: [{ who: 'self', access: 'write' }, { who: 'users', access: 'read' }, { who: '*', access: 'none' }] },
];

/** A directory set up like the rig's slapd, holding `ldif`. */
export const startRigDirectory = (ldif: string, options: StartDirectoryOptions = {}): Promise<DirectoryServer> =>
  startDirectory({ ldif, suffix: BASE_DN, rootDN: RIG_ADMIN_DN, rootPassword: RIG_ADMIN_PASSWORD, access: RIG_ACCESS, sizeLimit: 500, ...options });

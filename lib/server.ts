/**
 * rxldap's in-memory directory server: the package's `./server` export (`import { startDirectory }
 * from 'rxldap/server'`). A real LDAP server in the process, for tests and local development,
 * built on the same codecs, framer, DN and filter code as the client. It is an entry point of its
 * own so that an application that only talks to a directory does not load it.
 * etc/rxldap-server.api.md records this surface.
 */
export * from './server/index';

/**
 * The exit codes of the rxldap command, for scripts (EXIT_CODES_HELP is the table `rxldap
 * --help` prints). A result code the server answered is the exit code itself, as ldapsearch
 * does, so `[ $? -eq 32 ]` means noSuchObject with either tool; failures on the client's side
 * take the numbers of the LDAP C API's client-side codes (81 server down, 85 timeout, …).
 */
import { CleartextCredentialsError, ConnectionError, LdapError, LdapSyntaxError, LdifError, ProtocolError, TimeoutError } from '../index';
import { UsageError } from './usage';

export const EXIT = {
  ok: 0,
  usage: 1,
  /** compare: the entry does not hold the value (LDAP compareFalse). */
  compareFalse: 5,
  /** Credentials would have gone unencrypted to a server that is not on this host (LDAP confidentialityRequired). */
  confidentialityRequired: 13,
  /** The connection could not be made, or was lost (C API LDAP_SERVER_DOWN). */
  serverDown: 81,
  /** Anything else that went wrong on this side: a bug, an I/O error (C API LDAP_LOCAL_ERROR). */
  localError: 82,
  /** The server sent something that is not LDAP (C API LDAP_DECODING_ERROR). */
  decodingError: 84,
  /** No answer in time (C API LDAP_TIMEOUT). */
  timeout: 85,
  /** A result code with no exit code of its own: operationsError (1, since 1 means usage) or above 123. */
  otherResult: 125,
  /** Interrupted (Ctrl-C) before the command was done (128 + SIGINT); watch ends with 0 instead. */
  interrupted: 130,
} as const;

/** The highest LDAP result code that is its own exit code (authorizationDenied, RFC 4370 / 6171). */
const HIGHEST_OWN_CODE = 123;

/** The exit code for an error a command ended with. */
export const exitCodeOf = (error: unknown): number => {
  if (error instanceof UsageError || error instanceof LdapSyntaxError || error instanceof LdifError) return EXIT.usage;
  if (error instanceof LdapError) return error.code >= 2 && error.code <= HIGHEST_OWN_CODE ? error.code : EXIT.otherResult;
  if (error instanceof CleartextCredentialsError) return EXIT.confidentialityRequired;
  if (error instanceof ConnectionError) return EXIT.serverDown;
  if (error instanceof TimeoutError) return EXIT.timeout;
  if (error instanceof ProtocolError) return EXIT.decodingError;
  return EXIT.localError;
};

export const EXIT_CODES_HELP = `Exit codes:
  0        success (compare: the entry holds the value)
  1        usage: unknown option, missing or malformed argument (DN, filter, URL), unreadable file,
           LDIF that cannot be read
  2-123    the LDAP result code the server answered, as ldapsearch: 32 noSuchObject,
           49 invalidCredentials, 50 insufficientAccessRights, 4 sizeLimitExceeded,
           5 compareFalse (compare: the entry does not hold the value), ...
  13       also: a password would have gone unencrypted to a server not on this host (use -Z or ldaps://)
  81       could not connect, or the connection was lost
  82       any other local failure (the message says which)
  84       the server sent something that is not LDAP
  85       no answer in time (--timeout)
  125      operationsError (LDAP 1) or a result code above 123; the message names it
  130      interrupted (Ctrl-C) before the command was done; watch ends with 0`;

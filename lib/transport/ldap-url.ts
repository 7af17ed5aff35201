import { RxLdapError } from '../errors';
import type { SearchScope } from '../protocol/types';

/** An LDAP URL (RFC 4516), plus the ldaps and ldapi schemes. */
export interface LdapUrl {
  scheme: 'ldap' | 'ldaps' | 'ldapi';
  /** Host name or IP address (IPv6 without brackets); empty for ldapi. */
  host: string;
  port: number;
  /** The Unix socket path of an ldapi URL (percent-decoded). */
  socketPath?: string;
  dn: string;
  attributes: string[];
  scope: SearchScope;
  filter: string;
  extensions: string[];
}

export class InvalidUrlError extends RxLdapError {}

const DEFAULT_PORTS = { ldap: 389, ldaps: 636, ldapi: 0 } as const;
const SCOPES: Record<string, SearchScope> = { base: 'baseObject', one: 'singleLevel', sub: 'wholeSubtree', subordinates: 'subordinateSubtree' };

const decode = (text: string, url: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidUrlError(`invalid percent-encoding in LDAP URL ${JSON.stringify(url)}`);
  }
};

/** Parses `ldap://host:port/dn?attrs?scope?filter?extensions` (and ldaps://, ldapi://%2Fpath). */
export const parseLdapUrl = (url: string): LdapUrl => {
  const match = /^(ldaps?|ldapi):\/\/([^/?]*)(?:\/([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?([^?]*)(?:\?([^?]*))?)?)?)?)?$/i.exec(url);
  if (match === null) throw new InvalidUrlError(`not an LDAP URL: ${JSON.stringify(url)}`);
  const scheme = match[1]!.toLowerCase() as LdapUrl['scheme'];
  const hostport = match[2]!;
  let host = '';
  let port: number = DEFAULT_PORTS[scheme];
  let socketPath: string | undefined;
  if (scheme === 'ldapi') {
    socketPath = decode(hostport, url);
    if (socketPath === '') throw new InvalidUrlError(`ldapi URL needs a percent-encoded socket path: ${JSON.stringify(url)}`);
  } else {
    const hp = /^(?:\[([0-9a-fA-F:.]+)\]|([^:]*))(?::(\d+))?$/.exec(hostport);
    if (hp === null) throw new InvalidUrlError(`invalid host in LDAP URL ${JSON.stringify(url)}`);
    host = decode(hp[1] ?? hp[2] ?? '', url) || 'localhost';
    if (hp[3] !== undefined) {
      port = Number(hp[3]);
      if (port < 1 || port > 65535) throw new InvalidUrlError(`invalid port ${hp[3]} in LDAP URL`);
    }
  }
  const scopeText = (match[5] ?? '').toLowerCase();
  const scope = scopeText === '' ? 'baseObject' : SCOPES[scopeText];
  if (scope === undefined) throw new InvalidUrlError(`invalid scope ${JSON.stringify(scopeText)} in LDAP URL`);
  const result: LdapUrl = {
    scheme,
    host,
    port,
    dn: decode(match[3] ?? '', url),
    attributes: (match[4] ?? '') === '' ? [] : match[4]!.split(',').map((a) => decode(a, url)),
    scope,
    filter: (match[6] ?? '') === '' ? '(objectClass=*)' : decode(match[6]!, url),
    extensions: (match[7] ?? '') === '' ? [] : match[7]!.split(',').map((e) => decode(e, url)),
  };
  if (socketPath !== undefined) result.socketPath = socketPath;
  return result;
};

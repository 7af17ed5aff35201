import { isValidDN } from '../dn/dn';
import { InvalidUrlError, LdapSyntaxError, UnsupportedCriticalExtensionError } from '../errors';
import { parseFilter } from '../filter/parse';
import type { SearchScope } from '../protocol/types';
import { nodeNet } from '../util/lazy-builtins';

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
  /** Each `[!]type[=value]`, percent-decoded; a leading `!` marks it critical. */
  extensions: string[];
}

export interface ParseLdapUrlOptions {
  /**
   * RFC 4516 §2: a client MUST NOT process a URL with a critical (`!`) extension it does not
   * implement. rxldap implements none, so by default ('refuse') every critical extension is an
   * UnsupportedCriticalExtensionError. 'return' hands them back in `extensions` for a caller
   * that processes them itself (and so takes over that duty).
   */
  criticalExtensions?: 'refuse' | 'return';
}

const DEFAULT_PORTS = { ldap: 389, ldaps: 636, ldapi: 0 } as const;
const SCOPES: Record<string, SearchScope> = { base: 'baseObject', one: 'singleLevel', sub: 'wholeSubtree', subordinates: 'subordinateSubtree' };
// RFC 3986 §3.2.2 reg-name (an IPv4 address is one too): unreserved, pct-encoded, sub-delims.
const REG_NAME = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
// RFC 4512 §1.4 oid = descr / numericoid (no leading zeros in a number).
const OID = /^(?:[A-Za-z][A-Za-z0-9-]*|(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+)$/;
// RFC 4511 §4.5.1.8 attributeSelector: an attribute description with options, "*", "1.1", and the
// "+" of RFC 3673 and "@objectClass" of RFC 4529.
const ATTRIBUTE_SELECTOR = /^(?:\*|\+|1\.1|@[A-Za-z][A-Za-z0-9-]*|(?:[A-Za-z][A-Za-z0-9-]*|(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))+)(?:;[A-Za-z0-9-]+)*)$/;

/** One `?`-separated element (or a piece of one) and where it starts in the URL. */
interface Part {
  text: string;
  at: number;
}

const decode = (part: Part, component: string, what = component): string => {
  try {
    return decodeURIComponent(part.text);
  } catch {
    throw new InvalidUrlError(component, part.at, `invalid percent-encoding in the ${what}`);
  }
};

/** Splits `part` at every `separator`, keeping each piece's position. */
const split = (part: Part, separator: string): Part[] => {
  const pieces: Part[] = [];
  let at = part.at;
  for (const text of part.text.split(separator)) {
    pieces.push({ text, at });
    at += text.length + separator.length;
  }
  return pieces;
};

const parseHostPort = (part: Part, scheme: 'ldap' | 'ldaps'): { host: string; port: number } => {
  const match = /^(?:\[([^\]]*)\]|([^:[\]]*))(?::(\d+))?$/.exec(part.text);
  if (match === null) throw new InvalidUrlError('host', part.at, 'expected host, [IPv6 address] or host:port (the port in plain digits)');
  let host: string;
  if (match[1] !== undefined) {
    host = decode({ text: match[1], at: part.at + 1 }, 'host');
    if (nodeNet().isIP(host) !== 6) throw new InvalidUrlError('host', part.at, 'the brackets hold no IPv6 address');
  } else {
    const name = match[2] ?? '';
    if (!REG_NAME.test(name)) throw new InvalidUrlError('host', part.at, 'a character a host name may not hold');
    host = decode({ text: name, at: part.at }, 'host') || 'localhost';
  }
  let port: number = DEFAULT_PORTS[scheme];
  if (match[3] !== undefined) {
    port = Number(match[3]);
    if (port < 1 || port > 65535) throw new InvalidUrlError('port', part.at + part.text.length - match[3].length, `port ${port} is out of range 1-65535`);
  }
  return { host, port };
};

const parseAttributes = (part: Part): string[] => {
  if (part.text === '') return [];
  return split(part, ',').map((piece) => {
    const name = decode(piece, 'attributes', 'attribute list');
    if (name === '') throw new InvalidUrlError('attributes', piece.at, 'an empty attribute name');
    if (!ATTRIBUTE_SELECTOR.test(name)) throw new InvalidUrlError('attributes', piece.at, `${JSON.stringify(name)} is not an attribute selector (RFC 4511 §4.5.1.8)`);
    return name;
  });
};

const parseFilterPart = (part: Part): string => {
  if (part.text === '') return '(objectClass=*)';
  const text = decode(part, 'filter');
  try {
    // Outer parentheses left out, as in `&(cn=a)(sn=b)`, are a common slip that libldap and
    // python-ldap accept; the text is handed back as written.
    parseFilter(text.startsWith('(') ? text : `(${text})`);
  } catch (error) {
    const reason = error instanceof LdapSyntaxError ? `${error.reason} (character ${error.position} of the filter)` : String(error);
    throw new InvalidUrlError('filter', part.at, `not an RFC 4515 filter: ${reason}`, { cause: error });
  }
  return text;
};

/** `[!]type[=value]`; the value is never quoted in an error. */
const parseExtensions = (part: Part, critical: 'refuse' | 'return'): string[] => {
  if (part.text === '') return [];
  return split(part, ',').map((piece) => {
    const equals = piece.text.indexOf('=');
    const typePart: Part = { text: equals === -1 ? piece.text : piece.text.slice(0, equals), at: piece.at };
    const bang = typePart.text.startsWith('!') ? '!' : '';
    const type = decode({ text: typePart.text.slice(bang.length), at: piece.at }, 'extensions', 'extension type');
    if (!OID.test(type)) throw new InvalidUrlError('extensions', piece.at, `an extension type must be a name or a numeric OID (RFC 4512 §1.4)${type === '' ? '' : `, not ${JSON.stringify(type)}`}`);
    const value = equals === -1 ? undefined : decode({ text: piece.text.slice(equals + 1), at: piece.at + equals + 1 }, 'extensions', `value of extension ${type}`);
    if (bang !== '' && critical === 'refuse') throw new UnsupportedCriticalExtensionError(type, piece.at);
    return `${bang}${type}${value === undefined ? '' : `=${value}`}`;
  });
};

/** Parses `ldap://host:port/dn?attrs?scope?filter?extensions` (and ldaps://, ldapi://%2Fpath). */
export const parseLdapUrl = (url: string, options: ParseLdapUrlOptions = {}): LdapUrl => {
  const schemeMatch = /^(ldaps?|ldapi):\/\//i.exec(url);
  if (schemeMatch === null) throw new InvalidUrlError('scheme', 0, 'an LDAP URL starts with ldap://, ldaps:// or ldapi://');
  const scheme = schemeMatch[0].slice(0, -'://'.length).toLowerCase() as LdapUrl['scheme'];
  const authorityStart = schemeMatch[0].length;
  const authorityEnd = url.slice(authorityStart).search(/[/?]/);
  const hostport: Part = { text: authorityEnd === -1 ? url.slice(authorityStart) : url.slice(authorityStart, authorityStart + authorityEnd), at: authorityStart };
  const pathStart = hostport.at + hostport.text.length;
  if (pathStart < url.length && url[pathStart] !== '/') throw new InvalidUrlError('dn', pathStart, 'a "/" must come before the DN and the "?" parts');
  const elements = pathStart < url.length ? split({ text: url.slice(pathStart + 1), at: pathStart + 1 }, '?') : [];
  const sixth = elements[5];
  if (sixth !== undefined) throw new InvalidUrlError('extensions', sixth.at - 1, 'more than four "?" separators (a "?" inside a part must be percent-encoded)');
  const [dnPart, attributesPart, scopePart, filterPart, extensionsPart] = elements;

  let host = '';
  let port: number = DEFAULT_PORTS[scheme];
  let socketPath: string | undefined;
  if (scheme === 'ldapi') {
    socketPath = decode(hostport, 'host', 'socket path');
    if (socketPath === '') throw new InvalidUrlError('host', hostport.at, 'an ldapi URL needs a percent-encoded socket path');
  } else {
    ({ host, port } = parseHostPort(hostport, scheme));
  }
  const dn = dnPart === undefined ? '' : decode(dnPart, 'dn');
  // A trailing comma (`o=Example,`) is tolerated, as libldap and python-ldap tolerate it.
  if (dnPart !== undefined && dn !== '' && !isValidDN(dn.replace(/,$/, ''))) throw new InvalidUrlError('dn', dnPart.at, 'not an RFC 4514 distinguished name');
  const scopeText = decode(scopePart ?? { text: '', at: 0 }, 'scope').toLowerCase();
  const scope = scopeText === '' ? 'baseObject' : SCOPES[scopeText];
  // scopePart is there whenever scope is unknown: an absent part reads as '' (baseObject).
  if (scope === undefined) throw new InvalidUrlError('scope', scopePart?.at ?? 0, `${JSON.stringify(scopeText)} is not base, one, sub or subordinates`);
  const result: LdapUrl = {
    scheme,
    host,
    port,
    dn,
    attributes: attributesPart === undefined ? [] : parseAttributes(attributesPart),
    scope,
    filter: filterPart === undefined ? '(objectClass=*)' : parseFilterPart(filterPart),
    extensions: extensionsPart === undefined ? [] : parseExtensions(extensionsPart, options.criticalExtensions ?? 'refuse'),
  };
  if (socketPath !== undefined) result.socketPath = socketPath;
  return result;
};

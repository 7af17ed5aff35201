/**
 * Store paths (the keys of a DirectoryStore) and DNs. A path names an entry from the top of the
 * tree down, one RDN per `/`-separated component: `/dc=org/dc=example/ou=people` is the DN
 * `ou=people,dc=example,dc=org`, as in indicium-ldap. A component may itself hold several RDNs
 * in DN order (`/dc=example,dc=org/ou=people` is the same entry), and text that does not start
 * with `/` is taken as a DN as it stands.
 *
 * Inside a component, values are RFC 4514 text; a `/` inside a value is written `\2F` (any
 * RFC 4514 hex pair works) or `\/`, so a component is always valid DN text once `\/` is read as
 * `\2F`. toStorePath() writes `\2F`.
 */
import { InvalidDNError } from '../errors';
import { DN, parseDN } from '../dn/dn';
import { rdnToString } from '../dn/serialize';

/** One component of a path: its RFC 4514 text and, per character of it, the index in the path. */
interface Component {
  readonly text: string;
  readonly at: readonly number[];
  readonly end: number;
}

/** Splits after the leading `/` at each `/` that is not escaped, turning `\/` into `\2F`. */
const splitPath = (path: string): Component[] => {
  const components: Component[] = [];
  let text = '';
  let at: number[] = [];
  const push = (end: number): void => {
    components.push({ text, at, end });
    text = '';
    at = [];
  };
  for (let i = 1; i < path.length; i++) {
    const c = path.charAt(i);
    if (c === '/') {
      push(i);
      continue;
    }
    if (c === '\\' && path.charAt(i + 1) === '/') {
      text += '\\2F';
      at.push(i, i + 1, i + 1);
      i++;
      continue;
    }
    text += c;
    at.push(i);
    if (c === '\\' && i + 1 < path.length) {
      // The escaped character belongs to the value, whatever it is.
      text += path.charAt(++i);
      at.push(i);
    }
  }
  push(path.length);
  return components;
};

/**
 * The DN a store path (or DN text) names. `/` alone (or the empty string) is the root DSE's
 * empty DN; one trailing `/` is allowed. Throws InvalidDNError with the position in `path` of
 * the first fault.
 */
export const parseStorePath = (path: string | DN): DN => {
  if (path instanceof DN) return path;
  if (typeof path !== 'string') throw new TypeError(`a store path must be a string or a DN, not ${typeof path}`);
  if (!path.startsWith('/')) return parseDN(path);
  const components = splitPath(path);
  if (components.length > 1 && components.at(-1)?.text === '') components.pop();
  if (components.length === 1 && components[0]?.text === '') return new DN();
  const rdns: DN['rdns'][number][] = [];
  for (const component of components) {
    if (component.text.trim() === '') throw new InvalidDNError(path, component.end, 'empty path component');
    let dn: DN;
    try {
      dn = parseDN(component.text);
    } catch (error) {
      if (!(error instanceof InvalidDNError)) throw error;
      const position = component.at[error.position] ?? component.end;
      throw new InvalidDNError(path, position, error.reason);
    }
    // Components go from the top down; a DN's RDNs from the entry up.
    rdns.unshift(...dn.rdns);
  }
  return new DN(rdns);
};

/** The store path of a DN: `/` and its RDNs from the top down, a `/` in a value written `\2F`. */
export const toStorePath = (dn: string | DN): string => {
  const parsed = typeof dn === 'string' ? parseDN(dn) : dn;
  if (parsed.length === 0) return '/';
  // From the top down: a DN's RDNs go from the entry up.
  const components = [...parsed.rdns].reverse().map((rdn) => rdnToString(rdn).replaceAll('/', '\\2F'));
  return `/${components.join('/')}`;
};

import { DN, normalizeType, parseDN, InvalidDNError } from '../deps';
import type { BindRequest } from '../deps';
import { ANONYMOUS } from '../context';
import type { OperationContext, SessionIdentity } from '../context';
import { passwordMatches } from '../password';
import { failure, success } from '../result';
import type { Session } from '../session';
import { checkControls } from './controls';
import { certificateSubject } from '../tls-identity';

const RESULT = 'bindResponse';

/**
 * Simple binds (RFC 4513 §5.1) as slapd answers them: anonymous, the root DN with its password,
 * or an entry whose userPassword (cleartext or a {SSHA}-style hash) matches, if access control
 * gives anonymous `auth` on it; SASL PLAIN with a `dn:` or a uid as the authentication identity.
 * A failed bind leaves the connection anonymous.
 */
export const bind = (context: OperationContext, request: BindRequest, session: Session): void => {
  session.identity = ANONYMOUS;
  checkControls(context, []);
  if (request.version !== 3) throw failure('protocolError', 'requested protocol version not allowed');
  const { authentication } = request;
  if (authentication.type === 'sasl') {
    if (authentication.mechanism === 'EXTERNAL') session.identity = external(context, session, authentication.credentials);
    else if (authentication.mechanism === 'PLAIN') session.identity = plain(context, authentication.credentials ?? Buffer.alloc(0));
    else throw failure('authMethodNotSupported', 'SASL(-4): no mechanism available: ');
  } else {
    session.identity = simple(context, request.name, authentication.simple);
  }
  context.reply.send({ type: RESULT, ...success() });
};

const simple = (context: OperationContext, name: string, password: Buffer): SessionIdentity => {
  if (name === '' && password.length === 0) return ANONYMOUS;
  if (password.length === 0) throw failure('unwillingToPerform', 'unauthenticated bind (DN with no password) disallowed');
  let dn: DN;
  try {
    dn = parseDN(name);
  } catch (error) {
    if (error instanceof InvalidDNError) throw failure('invalidDNSyntax', 'invalid DN');
    throw error;
  }
  return authenticate(context, dn, password);
};

/** The DN as slapd reports the bound identity: types by their short lower-case names, values as the client wrote them. */
const pretty = (dn: DN): string => new DN(dn.rdns.map((rdn) => rdn.map((atav) => ({ type: normalizeType(atav.type), value: atav.value })))).toString();

/** The identity a DN and password prove, or invalidCredentials. */
export const authenticate = (context: OperationContext, dn: DN, password: Buffer): SessionIdentity => {
  const { rootDN, rootPassword, directory, access } = context.settings;
  if (rootDN !== undefined && dn.equals(rootDN)) {
    if (rootPassword !== undefined && passwordMatches(rootPassword, password)) return { dn: rootDN, root: true, text: pretty(dn) };
    throw failure('invalidCredentials');
  }
  const entry = directory.get(dn);
  if (entry === undefined || !access.allows(ANONYMOUS, entry, 'userPassword', 'auth')) throw failure('invalidCredentials');
  const stored = entry.attribute('userpassword')?.vals ?? [];
  if (!stored.some((value) => passwordMatches(value, password))) throw failure('invalidCredentials');
  return { dn: entry.dn, root: false, text: pretty(dn) };
};

/**
 * EXTERNAL (RFC 4422 appendix A) over TLS: the subject of the client certificate the server's CA
 * vouches for. An authorization identity other than that one is refused; without a certificate
 * (or over plain TCP, or ldapi, where no peer credentials are read) it is inappropriateAuthentication.
 */
const external = (context: OperationContext, session: Session, credentials: Buffer | undefined): SessionIdentity => {
  const subject = certificateSubject(session.rawSocket, context.settings.tls?.ca);
  if (subject === undefined) throw failure('inappropriateAuthentication', 'SASL(-4): no mechanism available: no verified client certificate');
  const dn = parseDN(subject);
  const authzid = credentials?.toString('utf8') ?? '';
  if (authzid !== '' && !(authzid.startsWith('dn:') && parseDN(authzid.slice(3)).equals(dn))) throw failure('insufficientAccessRights', 'SASL(-14): authorization failure');
  return { dn, root: false, text: subject };
};

/** RFC 4616 PLAIN: [authzid] NUL authcid NUL passwd; authcid `dn:<DN>`, `u:<uid>` or a bare uid. */
const plain = (context: OperationContext, credentials: Buffer): SessionIdentity => {
  const parts = credentials.toString('utf8').split('\0');
  if (parts.length !== 3) throw failure('invalidCredentials', 'SASL(-13): authentication failure: malformed PLAIN credentials');
  const [authzid = '', authcid = '', passwd = ''] = parts;
  const dn = identityDN(context, authcid);
  if (dn === undefined) throw failure('invalidCredentials');
  const identity = authenticate(context, dn, Buffer.from(passwd, 'utf8'));
  if (authzid !== '' && identityDN(context, authzid)?.equals(dn) !== true) throw failure('insufficientAccessRights', 'SASL(-14): authorization failure');
  return identity;
};

/** The DN an authentication identity names: `dn:…` directly, `u:name` or `name` as the entry with that uid. */
const identityDN = (context: OperationContext, id: string): DN | undefined => {
  if (id.startsWith('dn:')) {
    try {
      return parseDN(id.slice(3));
    } catch {
      return undefined;
    }
  }
  const uid = id.startsWith('u:') ? id.slice(2) : id;
  const uidType = context.settings.directory.schema.attributeType('uid');
  for (const entry of context.settings.directory.all()) {
    const values = entry.attribute(uidType?.key ?? 'uid')?.vals ?? [];
    if (values.some((value) => value.toString('utf8').toLowerCase() === uid.toLowerCase())) return entry.dn;
  }
  return undefined;
};

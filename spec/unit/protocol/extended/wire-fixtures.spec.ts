import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ExtendedOid,
  cancelCodec,
  decodeExtendedRequestValue,
  decodeExtendedResponseValue,
  parseAuthzId,
  passwordModifyCodec,
  startTLSCodec,
  whoAmICodec,
  buildExtendedRequest,
} from '../../../../lib/protocol/extended';
import type { ExtendedRequest, ExtendedResponse, LdapMessage } from '../../../../lib/protocol/types';
import { MessageParser } from '../../../../lib/transport/message-parser';

/** spec/fixtures/wire, found from wherever the compiled spec runs. */
const fixturesDir = (): string => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'spec', 'fixtures', 'wire');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
  }
  throw new Error('spec/fixtures/wire not found');
};

const messages = (name: string, side: 'client' | 'server'): LdapMessage[] => {
  const out: LdapMessage[] = [];
  const parser = new MessageParser();
  parser.feed(readFileSync(join(fixturesDir(), `${name}.0.${side}.bin`)), (message) => out.push(message));
  return out;
};

const extendedRequest = (name: string): ExtendedRequest => {
  const op = messages(name, 'client').map((m) => m.protocolOp).find((o) => o.type === 'extendedReq');
  if (op?.type !== 'extendedReq') throw new Error(`no extendedReq in ${name}`);
  return op;
};
const extendedResponse = (name: string): ExtendedResponse => {
  const op = messages(name, 'server').map((m) => m.protocolOp).find((o) => o.type === 'extendedResp');
  if (op?.type !== 'extendedResp') throw new Error(`no extendedResp in ${name}`);
  return op;
};

// Real slapd 2.5 / ldap-utils traffic (spec/fixtures/wire/README.md) through the codecs.
describe('protocol/extended against the wire fixtures', () => {
  it('whoami: the request the tools send, a DN authzId back', () => {
    const request = extendedRequest('whoami');
    expect(request).to.deep.equal(buildExtendedRequest(whoAmICodec, undefined));
    const response = extendedResponse('whoami');
    expect(response.responseName).to.equal(undefined);
    const authzId = decodeExtendedResponseValue(whoAmICodec, response);
    expect(authzId).to.equal('dn:cn=admin,dc=example,dc=com');
    expect(parseAuthzId(authzId)).to.deep.equal({ type: 'dn', dn: 'cn=admin,dc=example,dc=com' });
    expect(whoAmICodec.encodeResponseValue(authzId)).to.deep.equal(response.responseValue);
  });

  it('whoami-anon: an empty value for the anonymous identity', () => {
    const response = extendedResponse('whoami-anon');
    expect(decodeExtendedResponseValue(whoAmICodec, response)).to.equal('');
    expect(whoAmICodec.encodeResponseValue('')).to.deep.equal(response.responseValue);
  });

  it('starttls: no values (and slapd leaves responseName out)', () => {
    const request = extendedRequest('starttls');
    expect(request).to.deep.equal({ type: 'extendedReq', requestName: ExtendedOid.startTLS });
    const response = extendedResponse('starttls');
    expect(response.resultCode).to.equal(0);
    expect(decodeExtendedResponseValue(startTLSCodec, response)).to.equal(undefined);
  });

  it('passwd-set: userIdentity and newPasswd, no response value', () => {
    const request = extendedRequest('passwd-set');
    expect(request.requestName).to.equal(ExtendedOid.passwordModify);
    const value = decodeExtendedRequestValue(passwordModifyCodec, request);
    expect(Object.keys(value).sort()).to.deep.equal(['newPasswd', 'userIdentity']);
    expect(value.userIdentity).to.equal('cn=fixture,ou=people,dc=example,dc=com');
    expect(passwordModifyCodec.encodeRequestValue(value)).to.deep.equal(request.requestValue);
    expect(decodeExtendedResponseValue(passwordModifyCodec, extendedResponse('passwd-set'))).to.deep.equal({});
  });

  it('passwd-generate: the generated password comes back as genPasswd', () => {
    const request = extendedRequest('passwd-generate');
    const value = decodeExtendedRequestValue(passwordModifyCodec, request);
    expect(value.newPasswd).to.equal(undefined);
    expect(passwordModifyCodec.encodeRequestValue(value)).to.deep.equal(request.requestValue);
    const response = extendedResponse('passwd-generate');
    const decoded = decodeExtendedResponseValue(passwordModifyCodec, response);
    expect(decoded.genPasswd).to.be.instanceOf(Buffer);
    expect(decoded.genPasswd!.length).to.be.greaterThan(0);
    expect(passwordModifyCodec.encodeResponseValue(decoded)).to.deep.equal(response.responseValue);
  });

  it('exop-cancel: cancelID in the request, noSuchOperation without a value back', () => {
    const request = extendedRequest('exop-cancel');
    expect(request.requestName).to.equal(ExtendedOid.cancel);
    const cancelID = decodeExtendedRequestValue(cancelCodec, request);
    expect(cancelCodec.encodeRequestValue(cancelID)).to.deep.equal(request.requestValue);
    const response = extendedResponse('exop-cancel');
    expect(response.resultCode).to.equal(119);
    expect(decodeExtendedResponseValue(cancelCodec, response)).to.equal(undefined);
  });
});

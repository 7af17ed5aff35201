/**
 * Review of issue 13: the undecoded entries are the client's own business. rxldap/wire's
 * MessageParserOptions (and MessageFramerOptions, which extends it) must not offer them: an
 * UndecodedEntry is no type of that API, and the change put `undecodedEntries` (of an
 * unexported type) into etc/rxldap-wire.api.md, so `npm run types` failed. The checks below are
 * compile-time ones: on that code the @ts-expect-error lines had no error to expect.
 */
import { expect } from 'chai';
import { MessageFramer, MessageParser } from '../../../lib/wire';
import type { MessageFramerOptions, MessageParserOptions } from '../../../lib/wire';
import { encodeMessage } from '../../../lib/protocol/encode';
import type { LdapMessage } from '../../../lib/protocol/types';

describe('MessageParser options of rxldap/wire (review of issue 13)', () => {
  it('offers no undecodedEntries, and a parser made through wire decodes every entry', () => {
    // @ts-expect-error -- not an option of the wire API
    const parserOptions: MessageParserOptions = { undecodedEntries: () => true };
    // @ts-expect-error -- nor of the framer's, which extends it
    const framerOptions: MessageFramerOptions = { undecodedEntries: () => true };
    expect(new MessageFramer(framerOptions)).to.be.instanceOf(MessageFramer);
    const messages: LdapMessage[] = [];
    new MessageParser({}).feed(encodeMessage({ messageId: 2, protocolOp: { type: 'searchResEntry', objectName: 'cn=x', attributes: [{ type: 'cn', vals: [Buffer.from('x')] }] } }), (m) => messages.push(m));
    expect(Object.getPrototypeOf(messages[0]?.protocolOp)).to.equal(Object.prototype);
    expect(parserOptions).to.have.property('undecodedEntries');
  });
});

import { expect } from 'chai';
import { once } from 'node:events';
import { encodeMessage, decodeMessage } from '../../../lib/protocol';
import type { LdapMessage } from '../../../lib/protocol';
import { ProtocolError } from '../../../lib/errors';
import { MessageFramer } from '../../../lib/transport/message-framer';
import type { MessageFramerOptions } from '../../../lib/transport/message-framer';
import { MessageParser } from '../../../lib/transport/message-parser';
import { loadWireFixtures } from '../../support/fixtures';

/** Feeds `chunks` through a MessageFramer and resolves with every message, or rejects with its error. */
const frame = (chunks: Buffer[], options?: MessageFramerOptions): Promise<LdapMessage[]> =>
  new Promise((resolve, reject) => {
    const framer = new MessageFramer(options);
    const messages: LdapMessage[] = [];
    framer.on('data', (message: LdapMessage) => messages.push(message));
    framer.on('error', reject);
    framer.on('end', () => resolve(messages));
    for (const chunk of chunks) framer.write(chunk);
    framer.end();
  });

const frameError = async (chunks: Buffer[], options?: MessageFramerOptions): Promise<ProtocolError> => {
  try {
    await frame(chunks, options);
  } catch (error) {
    expect(error).to.be.instanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected the framer to fail');
};

const splitEvery = (bytes: Buffer, size: number): Buffer[] => {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
};

const entry = (messageId: number, valueSize: number): LdapMessage => ({
  messageId,
  protocolOp: { type: 'searchResEntry', objectName: `uid=u${messageId},dc=example,dc=com`, attributes: [{ type: 'jpegPhoto', vals: [Buffer.alloc(valueSize, messageId % 251)] }] },
});

describe('MessageFramer', () => {
  describe('chunking: the same messages whatever the socket reads look like', () => {
    for (const fixture of loadWireFixtures()) {
      it(`${fixture.name} (${fixture.bytes.length} bytes) split at every offset and one byte at a time`, async () => {
        const whole = await frame([fixture.bytes]);
        // Re-encoding is a strict and cheap fingerprint of a message list (deep-equal per split is slow).
        const fingerprint = (messages: LdapMessage[]): Buffer => Buffer.concat(messages.map(encodeMessage));
        const expected = fingerprint(whole);
        for (let at = 1; at < fixture.bytes.length; at++) {
          const split = await frame([fixture.bytes.subarray(0, at), fixture.bytes.subarray(at)]);
          if (!fingerprint(split).equals(expected)) expect(split, `split at ${at}`).to.deep.equal(whole);
        }
        expect(await frame(splitEvery(fixture.bytes, 1))).to.deep.equal(whole);
      });
    }

    it('decodes a thousand PDUs arriving in one chunk in place, copying nothing', async () => {
      const messages = Array.from({ length: 1000 }, (_, i) => entry(i + 1, 20));
      const bytes = Buffer.concat(messages.map(encodeMessage));
      const framer = new MessageFramer();
      const received: LdapMessage[] = [];
      framer.on('data', (m: LdapMessage) => received.push(m));
      framer.end(bytes);
      await once(framer, 'end');
      expect(received).to.deep.equal(messages);
      expect(framer.copiedBytes).to.equal(0);
    });
  });

  describe('large PDUs', () => {
    it('assembles a 10 MB entry from 64 KiB chunks with exactly one copy of its bytes', async () => {
      const big = encodeMessage(entry(7, 10 * 1024 * 1024));
      const framer = new MessageFramer();
      const received: LdapMessage[] = [];
      framer.on('data', (m: LdapMessage) => received.push(m));
      for (const chunk of splitEvery(big, 64 * 1024)) framer.write(chunk);
      framer.end();
      await once(framer, 'end');
      expect(received).to.have.length(1);
      expect(framer.copiedBytes).to.equal(big.length);
      const op = received[0]!.protocolOp;
      expect(op.type === 'searchResEntry' && op.attributes[0]!.vals[0]!.length).to.equal(10 * 1024 * 1024);
    });

    it('stays linear when a 1 MB PDU arrives one byte at a time', () => {
      const pdu = encodeMessage(entry(3, 1024 * 1024));
      const parser = new MessageParser();
      let count = 0;
      for (let i = 0; i < pdu.length; i++) parser.feed(pdu.subarray(i, i + 1), () => count++);
      expect(count).to.equal(1);
      expect(parser.copiedBytes).to.equal(pdu.length); // each byte copied once, never re-concatenated
    });

    it('rejects a length over maxPduSize before buffering any of it', async () => {
      const header = Buffer.from('3084' + (100 * 1024 * 1024).toString(16).padStart(8, '0'), 'hex');
      const parser = new MessageParser({ maxPduSize: 1024 * 1024 });
      expect(() => parser.feed(Buffer.concat([header, Buffer.alloc(1000)]), () => undefined)).to.throw(ProtocolError, /exceeds maxPduSize 1048576/);
      expect(parser.bufferedBytes).to.equal(0);
      const error = await frameError([header], { maxPduSize: 1024 * 1024 });
      expect(error.message).to.match(/PDU of 104857606 bytes exceeds maxPduSize/);
    });

    it('uses 16 MiB as the default maximum', async () => {
      const justOver = Buffer.from('3084' + (16 * 1024 * 1024).toString(16).padStart(8, '0'), 'hex');
      expect((await frameError([justOver])).message).to.match(/exceeds maxPduSize 16777216/);
    });
  });

  describe('malformed input: a ProtocolError with a clear message, and the stream stays errored', () => {
    const good = encodeMessage({ messageId: 1, protocolOp: { type: 'unbindRequest' } });

    it('a stream that ends in the middle of a PDU', async () => {
      const pdu = encodeMessage(entry(1, 100));
      const error = await frameError([pdu.subarray(0, 50)]);
      expect(error.message).to.match(/stream ended inside a PDU \(50 of \d+ bytes received\)/);
    });

    it('a stream that ends inside a PDU header', async () => {
      expect((await frameError([Buffer.from([0x30, 0x84, 0x00])])).message).to.match(/stream ended inside a PDU \(3 bytes/);
    });

    it('indefinite length', async () => {
      const error = await frameError([good, Buffer.from('3080020101420000', 'hex')]);
      expect(error.message).to.match(/indefinite length is not allowed/);
      expect(error.offset).to.equal(good.length + 1);
    });

    it('garbage that is not LDAP at all', async () => {
      const error = await frameError([Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')]);
      expect(error.message).to.match(/expected an LDAPMessage \(tag 0x30\) but found tag 0x48/);
    });

    it('a malformed PDU after good ones names the stream offset of the fault', async () => {
      const bad = Buffer.from('3005020101ff00', 'hex'); // protocolOp tag 0xff
      const error = await frameError([good, good, bad]);
      expect(error.offset).to.equal(2 * good.length + 5);
      expect(error.message).to.match(/multi-octet tag 0xff|unknown protocolOp/);
    });

    it('delivers the messages before the fault, emits one error and accepts nothing after it', async () => {
      const framer = new MessageFramer();
      const received: LdapMessage[] = [];
      const errors: unknown[] = [];
      framer.on('data', (m: LdapMessage) => received.push(m));
      framer.on('error', (e) => errors.push(e));
      framer.write(Buffer.concat([good, Buffer.from('3003020102', 'hex')])); // second PDU has no protocolOp
      await new Promise((resolve) => setImmediate(resolve));
      framer.write(good, () => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      expect(received).to.have.length(1);
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(ProtocolError);
      expect(framer.destroyed).to.equal(true);
    });

    it('a parser stays poisoned after a fault', () => {
      const parser = new MessageParser();
      expect(() => parser.feed(Buffer.from([0x04]), () => undefined)).to.throw(ProtocolError);
      expect(() => parser.feed(good, () => undefined)).to.throw(ProtocolError, /expected an LDAPMessage/);
    });
  });

  describe('backpressure', () => {
    it('stops taking bytes while more than readableHighWaterMark messages wait, and resumes when read', async () => {
      const framer = new MessageFramer({ readableHighWaterMark: 16 });
      const batch = Buffer.concat(Array.from({ length: 100 }, (_, i) => encodeMessage(entry(i + 1, 200))));
      framer.write(batch);
      const accepted = framer.write(batch); // the first batch is still unread: this one must wait
      expect(accepted).to.equal(false);
      expect(framer.readableLength).to.equal(100);
      let read = 0;
      framer.on('data', () => read++);
      await once(framer, 'drain');
      expect(read).to.be.at.least(100);
      framer.end();
      await once(framer, 'end');
      expect(read).to.equal(200);
    });
  });

  it('decodeMessage and the framer agree on every fixture PDU', async () => {
    for (const fixture of loadWireFixtures()) {
      for (const message of await frame([fixture.bytes])) expect(decodeMessage(encodeMessage(message))).to.deep.equal(message);
    }
  });
});

import type { AnyExtendedOperationCodec } from './codec';
import { cancelCodec } from './cancel';
import { endTransactionCodec } from './end-transaction';
import { noticeOfDisconnectionCodec } from './notice-of-disconnection';
import { passwordModifyCodec } from './password-modify';
import { startTLSCodec } from './start-tls';
import { startTransactionCodec } from './start-transaction';
import { whoAmICodec } from './who-am-i';

/** Extended operation codecs by OID (requestName). */
const byOid = new Map<string, AnyExtendedOperationCodec>();

/** Adds a codec; a later registration for the same OID replaces the earlier one. */
export const registerExtendedCodec = (codec: AnyExtendedOperationCodec): void => {
  byOid.set(codec.requestName, codec);
};

/** The codec for an OID, or undefined when rxldap has none (its values then stay raw Buffers). */
export const extendedCodecFor = (oid: string): AnyExtendedOperationCodec | undefined => byOid.get(oid);

for (const codec of [
  startTLSCodec,
  whoAmICodec,
  passwordModifyCodec,
  cancelCodec,
  startTransactionCodec,
  endTransactionCodec,
  noticeOfDisconnectionCodec,
] as AnyExtendedOperationCodec[]) {
  registerExtendedCodec(codec);
}

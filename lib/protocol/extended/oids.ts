/** Extended operation and unsolicited notification OIDs (../shared/PROTOCOL.md, beside the repository, names the specification of each). */
export const ExtendedOid = {
  /** RFC 4511 §4.14 / RFC 4513 */
  startTLS: '1.3.6.1.4.1.1466.20037',
  /** RFC 4532 */
  whoAmI: '1.3.6.1.4.1.4203.1.11.3',
  /** RFC 3062 */
  passwordModify: '1.3.6.1.4.1.4203.1.11.1',
  /** RFC 3909 */
  cancel: '1.3.6.1.1.8',
  /** RFC 5805 */
  startTransaction: '1.3.6.1.1.21.1',
  /** RFC 5805 */
  endTransaction: '1.3.6.1.1.21.3',
  /** RFC 5805: unsolicited notification (messageID 0) that the server aborted a transaction; no codec yet. */
  abortedTransaction: '1.3.6.1.1.21.4',
  /** RFC 4511 §4.4.1: unsolicited notification (messageID 0); the server closes the connection after it. */
  noticeOfDisconnection: '1.3.6.1.4.1.1466.20036',
} as const;

export type ExtendedOidName = keyof typeof ExtendedOid;

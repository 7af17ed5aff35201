import type { Control } from '../protocol/controls/types';
import type { LdapMessage } from '../protocol/types';

/** What the server said in an operation's final response, beyond success or failure. */
export interface LdapOutcome {
  /** The messageID of the request (and of its responses). */
  readonly messageId: number;
  readonly resultCode: number;
  readonly diagnosticMessage: string;
  readonly matchedDN: string;
  /** Referral URLs (resultCode 10), else empty. */
  readonly referral: readonly string[];
  /** The response controls: password policy, pre/post-read entries, a sort result, … */
  readonly controls: readonly Control[];
}

/** An operation's value together with the server's final response. */
export type OperationResult<R> = LdapOutcome & { readonly value: R };

/** The outcome carried by a final response, or undefined for a message without an LDAPResult. */
export const outcomeOf = (message: LdapMessage): LdapOutcome | undefined => {
  const op = message.protocolOp;
  if (!('resultCode' in op)) return undefined;
  return {
    messageId: message.messageId,
    resultCode: op.resultCode,
    diagnosticMessage: op.diagnosticMessage,
    matchedDN: op.matchedDN,
    referral: op.referral ?? [],
    controls: message.controls ?? [],
  };
};

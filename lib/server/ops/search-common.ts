import { ResultCode } from '../deps';
import type { SearchRequest } from '../deps';
import type { OperationContext } from '../context';

/** The limits that apply to this requester: the request's, capped by the server's for anyone but the root DN. */
export const limitsOf = (context: OperationContext, request: SearchRequest): { size: number; time: number } => {
  const cap = (asked: number, server: number): number => {
    if (context.session.identity.root) return asked;
    if (server === 0) return asked;
    return asked === 0 ? server : Math.min(asked, server);
  };
  return { size: cap(request.sizeLimit, context.settings.sizeLimit), time: cap(request.timeLimit, context.settings.timeLimit) };
};

/** How a search that was stopped ends: a cancelled one is answered with canceled (RFC 3909); an abandoned one never. */
export const endStopped = (context: OperationContext): void => {
  if (context.stopped === 'cancel') context.reply.send({ type: 'searchResDone', resultCode: ResultCode.canceled, matchedDN: '', diagnosticMessage: '' });
  context.finish();
};


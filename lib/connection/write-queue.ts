/** One encoded request waiting for the socket. */
export interface QueuedRequest {
  readonly messageId: number;
  readonly bytes: Buffer;
  /**
   * Nothing may follow it on the wire until its response has arrived: a BindRequest (RFC 4511
   * §4.2.1) and a StartTLS request (§4.14.1).
   */
  readonly barrier: boolean;
  /** It carries a password or a cleartext SASL credential (see transport-security.ts). */
  readonly credentials: boolean;
  /** The request's protocolOp type, for metrics and logs (never its bytes' meaning). */
  readonly type: RequestType;
}

/** A request's protocolOp type, as RequestOp['type'] (kept here to keep this file free of protocol imports). */
export type RequestType = string;

/**
 * Requests not yet handed to the socket, oldest first. A request whose operation ended before
 * it was written is withdrawn in O(1) (by messageID) and its bytes are released at once, so a
 * timed-out or aborted request never goes out later and never holds memory.
 */
export class WriteQueue {
  private items: Array<QueuedRequest | undefined> = [];
  private head = 0;
  private readonly positions = new Map<number, number>();
  private queuedBytes = 0;

  push(request: QueuedRequest): void {
    this.positions.set(request.messageId, this.items.length);
    this.items.push(request);
    this.queuedBytes += request.bytes.length;
  }

  /** Queues a request ahead of all others (the next round of a SASL bind in progress). */
  unshift(request: QueuedRequest): void {
    this.skipWithdrawn();
    if (this.head > 0) {
      this.items[--this.head] = request;
    } else {
      this.items.unshift(request);
      for (const [messageId, index] of this.positions) this.positions.set(messageId, index + 1);
    }
    this.positions.set(request.messageId, this.head);
    this.queuedBytes += request.bytes.length;
  }

  /** Removes the request of `messageId` if it is still queued; true if it was. */
  withdraw(messageId: number): boolean {
    const index = this.positions.get(messageId);
    if (index === undefined) return false;
    this.positions.delete(messageId);
    const request = this.items[index];
    if (request !== undefined) this.queuedBytes -= request.bytes.length;
    this.items[index] = undefined;
    this.compact();
    return true;
  }

  has(messageId: number): boolean {
    return this.positions.has(messageId);
  }

  /** The oldest request still queued. */
  peek(): QueuedRequest | undefined {
    this.skipWithdrawn();
    return this.items[this.head];
  }

  /** Takes the oldest request still queued. */
  shift(): QueuedRequest | undefined {
    this.skipWithdrawn();
    const request = this.items[this.head];
    if (request === undefined) return undefined;
    this.items[this.head++] = undefined;
    this.positions.delete(request.messageId);
    this.queuedBytes -= request.bytes.length;
    this.compact();
    return request;
  }

  /** Empties the queue (the connection closed): nothing queued goes out. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.positions.clear();
    this.queuedBytes = 0;
  }

  get length(): number {
    return this.positions.size;
  }

  get byteLength(): number {
    return this.queuedBytes;
  }

  private skipWithdrawn(): void {
    while (this.head < this.items.length && this.items[this.head] === undefined) this.head++;
  }

  /** Drops the written or withdrawn prefix now and then, re-indexing what stays. */
  private compact(): void {
    if (this.positions.size === 0) {
      this.items = [];
      this.head = 0;
      return;
    }
    this.skipWithdrawn();
    if (this.head < 1024 || this.head * 2 < this.items.length) return;
    this.items = this.items.slice(this.head);
    this.head = 0;
    for (let index = 0; index < this.items.length; index++) {
      const request = this.items[index];
      if (request !== undefined) this.positions.set(request.messageId, index);
    }
  }
}

import { MAX_INT32 } from '../ber/reader';

/**
 * Hands out LDAP messageIDs: 1 .. 2^31-1 (0 is reserved for unsolicited notifications), wrapping
 * back to 1 and skipping any ID still in flight, as RFC 4511 §4.1.1.1 requires uniqueness among
 * outstanding requests.
 */
export class MessageIdAllocator {
  private next = 1;

  constructor(private readonly inFlight: { has(id: number): boolean; readonly size: number }) {}

  allocate(): number {
    if (this.inFlight.size >= MAX_INT32) throw new RangeError('every messageID is in flight');
    let id = this.next;
    while (this.inFlight.has(id)) id = id === MAX_INT32 ? 1 : id + 1;
    this.next = id === MAX_INT32 ? 1 : id + 1;
    return id;
  }

  /** For tests of the wrap-around: the ID the next allocate() will try first. */
  peek(): number {
    return this.next;
  }

  /** For tests of the wrap-around. */
  restartAt(id: number): void {
    this.next = id;
  }
}

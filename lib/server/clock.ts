/**
 * Change sequence numbers as slapd writes them (`20240102030405.123456Z#000000#000#000000`:
 * time to the microsecond, a count within that microsecond, the server ID, a modifier count).
 * Each CSN the clock gives is greater than the last as a string, even when the system clock
 * stands still or goes back, so "changed since this cookie" is a string comparison.
 */
export class CsnClock {
  private lastMicros = 0;
  private count = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** A fresh CSN, and the generalized time (seconds) of the same instant for the timestamps. */
  next(): { csn: string; time: string } {
    let micros = this.now() * 1000;
    if (micros <= this.lastMicros) {
      micros = this.lastMicros;
      this.count++;
    } else {
      this.count = 0;
    }
    this.lastMicros = micros;
    const date = new Date(Math.floor(micros / 1000));
    const seconds = generalizedTime(date);
    const fraction = String(micros % 1_000_000).padStart(6, '0');
    const csn = `${seconds.slice(0, -1)}.${fraction}Z#${this.count.toString(16).padStart(6, '0')}#000#000000`;
    return { csn, time: seconds };
  }

  /** Moves the clock past a CSN read from loaded data, so new changes sort after it. */
  observe(csn: string): void {
    const match = /^(\d{14})\.(\d{6})Z#([0-9a-f]{6})#/.exec(csn);
    if (match === null) return;
    const [, seconds = '', fraction = '', count = ''] = match;
    const iso = `${seconds.slice(0, 4)}-${seconds.slice(4, 6)}-${seconds.slice(6, 8)}T${seconds.slice(8, 10)}:${seconds.slice(10, 12)}:${seconds.slice(12, 14)}Z`;
    const micros = Date.parse(iso) * 1000 + Number(fraction);
    if (micros > this.lastMicros || (micros === this.lastMicros && parseInt(count, 16) > this.count)) {
      this.lastMicros = micros;
      this.count = parseInt(count, 16);
    }
  }
}

/** RFC 4517 GeneralizedTime in UTC to the second: `20240102030405Z`. */
export const generalizedTime = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

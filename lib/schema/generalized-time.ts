/**
 * RFC 4517 §3.3.13 Generalized Time, kept whole. A JavaScript Date holds milliseconds in UTC,
 * so it would drop a value's sub-millisecond fraction and the zone it was written in; this
 * keeps the text as received, the instant as a Date, the fraction to the nanosecond, and the
 * offset. `toString()` gives the text back, so a value read and written again is unchanged.
 */

const PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})?)?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)?$/;
const NS_PER_SECOND = 1_000_000_000n;

/** Days in a month (1-based) of a year, leap years counted; day 0 of the next month is its last. */
const daysIn = (year: number, month: number): number => {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
};

export class GeneralizedTime {
  /** The instant, to the millisecond (the fraction below a millisecond is in `nanoseconds`). */
  readonly date: Date;

  private constructor(
    /** The value as written (what toString() gives). */
    readonly text: string,
    date: Date,
    /** Nanoseconds past the whole second, 0 to 999,999,999: the whole fraction, exactly. */
    readonly nanoseconds: number,
    /** Minutes east of UTC the value was written in (0 for `Z`); undefined when it named no zone (read as UTC). */
    readonly offsetMinutes: number | undefined,
  ) {
    this.date = date;
  }

  /** Reads a Generalized Time value; undefined when the text is not one. */
  static parse(text: string): GeneralizedTime | undefined {
    const m = PATTERN.exec(text);
    if (m === null) return undefined;
    const [year, month, day, hour] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
    const minute = m[5] === undefined ? undefined : Number(m[5]);
    const second = m[6] === undefined ? undefined : Number(m[6]);
    if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || (minute ?? 0) > 59 || (second ?? 0) > 60) return undefined;
    let offsetMinutes: number | undefined;
    const zone = m[8];
    if (zone !== undefined && zone !== 'Z') {
      const hours = Number(zone.slice(1, 3));
      const minutes = zone.length > 3 ? Number(zone.slice(3, 5)) : 0;
      if (hours > 23 || minutes > 59) return undefined;
      offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    } else if (zone === 'Z') {
      offsetMinutes = 0;
    }
    // The fraction is of the last unit given: the hour, the minute or the second (RFC 4517).
    const unitSeconds = minute === undefined ? 3600n : second === undefined ? 60n : 1n;
    const digits = m[7] ?? '';
    const fractionNs = digits === '' ? 0n : (BigInt(digits) * unitSeconds * NS_PER_SECOND) / 10n ** BigInt(digits.length);
    const carrySeconds = Number(fractionNs / NS_PER_SECOND);
    const nanoseconds = Number(fractionNs % NS_PER_SECOND);
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute ?? 0, second ?? 0, 0);
    date.setTime(date.getTime() - (offsetMinutes ?? 0) * 60_000 + carrySeconds * 1000 + Math.floor(nanoseconds / 1_000_000));
    // `new this`: a class that names itself gets a bundler alias (`_GeneralizedTime`) and loses its name.
    return new this(text, date, nanoseconds, offsetMinutes);
  }

  /** A Date as Generalized Time in UTC: `YYYYMMDDHHMMSSZ`, with `.fff` when it has milliseconds. */
  static fromDate(date: Date): GeneralizedTime {
    if (Number.isNaN(date.getTime())) throw new RangeError('an invalid Date has no Generalized Time');
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
    const ms = date.getUTCMilliseconds();
    const text = `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}${ms === 0 ? '' : `.${pad(ms, 3)}`}Z`;
    return new this(text, new Date(date.getTime()), ms * 1_000_000, 0);
  }

  /**
   * ISO 8601 in the zone the value was written in, with the whole fraction
   * (`2024-05-06T07:08:09.123456789+02:00`); a value without a zone is shown in UTC.
   */
  toISOString(): string {
    const offset = this.offsetMinutes ?? 0;
    const local = new Date(this.date.getTime() + offset * 60_000).toISOString().slice(0, 19);
    const fraction = this.nanoseconds === 0 ? '' : `.${String(this.nanoseconds).padStart(9, '0').replace(/0+$/, '')}`;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const zone = offset === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local}${fraction}${zone}`;
  }

  /** Milliseconds since the epoch, so times compare with < and >. */
  valueOf(): number {
    return this.date.getTime();
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

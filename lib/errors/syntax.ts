import { RxLdapError } from './base';

/** A string in LDAP's DN or filter syntax is malformed; `position` is the 0-based character index. */
export class LdapSyntaxError extends RxLdapError {
  readonly input: string;
  readonly position: number;
  readonly reason: string;
  constructor(kind: string, input: string, position: number, reason: string) {
    super(`invalid ${kind} at position ${position}: ${reason} in ${JSON.stringify(input)}`);
    this.input = input;
    this.position = position;
    this.reason = reason;
  }
}

/** A distinguished name that does not follow RFC 4514. */
export class InvalidDNError extends LdapSyntaxError {
  constructor(input: string, position: number, reason: string) {
    super('DN', input, position, reason);
  }
}

/** A search filter that does not follow RFC 4515. */
export class InvalidFilterError extends LdapSyntaxError {
  constructor(input: string, position: number, reason: string) {
    super('filter', input, position, reason);
  }
}

/**
 * An interpolation in the `filter` template that stands where it may not: a value anywhere but
 * in an assertion value, or a Filter where no whole filter fits. `index` is the interpolation's
 * 0-based place among the template's values; `input` is the template's literal text with each
 * interpolation written `${i}`, so the message names the interpolation and the text around it
 * without quoting any caller input, and `position` points at it in that text.
 */
export class FilterTemplateError extends InvalidFilterError {
  constructor(
    readonly index: number,
    template: string,
    position: number,
    reason: string,
  ) {
    super(template, position, reason);
  }
}

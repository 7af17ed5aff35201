import type { PartialAttribute } from '../protocol/types';

/**
 * The root DSE (RFC 4512 §5.1): what a server says about itself in the entry with the empty
 * DN. Typed for the attributes RFC 4512, RFC 3045 (vendor) and RFC 3674 (features) define; the
 * entry as read stays in `attributes` for the rest (Active Directory's defaultNamingContext,
 * 389-ds's netscapemdsuffix, …).
 */
export class RootDSE {
  /** namingContexts: the suffixes the server holds. */
  readonly namingContexts: readonly string[];
  readonly supportedLDAPVersion: readonly number[];
  /** Control OIDs the server recognises (supportedControl). */
  readonly supportedControl: readonly string[];
  /** Extended operation OIDs (supportedExtension). */
  readonly supportedExtension: readonly string[];
  /** Feature OIDs (supportedFeatures, RFC 3674): all-operational-attributes `+`, absolute true/false filters, … */
  readonly supportedFeatures: readonly string[];
  readonly supportedSASLMechanisms: readonly string[];
  readonly vendorName: string | undefined;
  readonly vendorVersion: string | undefined;
  /** Where the schema is read (a DN, such as cn=Subschema or cn=schema). */
  readonly subschemaSubentry: string | undefined;
  /** altServer: LDAP URLs of servers to try when this one is unavailable. */
  readonly altServer: readonly string[];

  constructor(readonly attributes: readonly PartialAttribute[]) {
    const all = (name: string): string[] => this.values(name);
    this.namingContexts = all('namingContexts');
    this.supportedLDAPVersion = all('supportedLDAPVersion').map(Number).filter(Number.isInteger);
    this.supportedControl = all('supportedControl');
    this.supportedExtension = all('supportedExtension');
    this.supportedFeatures = all('supportedFeatures');
    this.supportedSASLMechanisms = all('supportedSASLMechanisms');
    this.vendorName = all('vendorName')[0];
    this.vendorVersion = all('vendorVersion')[0];
    this.subschemaSubentry = all('subschemaSubentry')[0];
    this.altServer = all('altServer');
  }

  /** Every value of an attribute of the entry, as UTF-8 text (names compared case-insensitively). */
  values(name: string): string[] {
    const lower = name.toLowerCase();
    return this.attributes.filter((a) => a.type.toLowerCase() === lower).flatMap((a) => a.vals.map((v) => v.toString('utf8')));
  }

  supportsControl(oid: string): boolean {
    return this.supportedControl.includes(oid);
  }

  supportsExtension(oid: string): boolean {
    return this.supportedExtension.includes(oid);
  }

  supportsFeature(oid: string): boolean {
    return this.supportedFeatures.includes(oid);
  }

  /** SASL mechanism names compare case-insensitively (RFC 4422 §3.1 makes them upper case). */
  supportsSaslMechanism(name: string): boolean {
    const upper = name.toUpperCase();
    return this.supportedSASLMechanisms.some((m) => m.toUpperCase() === upper);
  }

  /** The first of `preferred` the server offers, or undefined. */
  pickSaslMechanism<M extends string>(preferred: readonly M[]): M | undefined {
    return preferred.find((name) => this.supportsSaslMechanism(name));
  }

  toJSON(): Record<string, unknown> {
    const { namingContexts, supportedLDAPVersion, supportedControl, supportedExtension, supportedFeatures, supportedSASLMechanisms, vendorName, vendorVersion, subschemaSubentry, altServer } = this;
    return { namingContexts, supportedLDAPVersion, supportedControl, supportedExtension, supportedFeatures, supportedSASLMechanisms, vendorName, vendorVersion, subschemaSubentry, altServer };
  }
}

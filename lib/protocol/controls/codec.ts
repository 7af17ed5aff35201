import type { Control, ControlDirection, ControlType, ControlOfType } from './types';

/**
 * How one control type is turned into its controlValue octets and back. A control value is a
 * BER document of its own inside the OCTET STRING, so each codec reads and writes it in its own
 * pass. `direction` says which side sends this shape ('both' when requests and responses agree).
 */
export interface ControlCodec<T extends ControlType = ControlType> {
  readonly type: T;
  readonly oid: string;
  readonly direction: ControlDirection | 'both';
  /** The controlValue octets, or undefined for a control that has no value. */
  encodeValue(control: ControlOfType<T>): Buffer | undefined;
  /** Builds the typed control from the received value; throws ProtocolError on bad octets. */
  decodeValue(value: Buffer | undefined, criticality: boolean): ControlOfType<T>;
}

/** Identity helper that keeps a codec's literal type while checking it against the interface. */
export const defineControlCodec = <T extends ControlType>(codec: ControlCodec<T>): ControlCodec<T> => codec;

export type AnyControlCodec = { [T in ControlType]: ControlCodec<T> }[ControlType];
export type { Control };

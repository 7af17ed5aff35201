import { ProtocolError } from '../../errors';

/** A control whose ASN.1 requires a controlValue but arrived without one. */
export const requireValue = (value: Buffer | undefined, type: string): Buffer => {
  if (value === undefined) throw new ProtocolError(`${type} control has no value`);
  return value;
};

/** A control that must not carry a value (manageDsaIT and the like) but did. */
export const forbidValue = (value: Buffer | undefined, type: string): void => {
  if (value !== undefined && value.length > 0) throw new ProtocolError(`${type} control must not have a value`);
};

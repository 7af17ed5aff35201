// A constant of its own file: the CommonJS build loads the syncrepl consumer on first use, and
// its constants must not make every import load it (scripts/bundle-first-use.mjs).

/**
 * Attributes whose values are bytes, not text, in the standard schemas (X.509, photos, PKCS)
 * and Active Directory. Their values are kept as base64 so no byte is lost to UTF-8 decoding.
 */
export const DEFAULT_BINARY_ATTRIBUTES: readonly string[] = [
  'jpegPhoto', 'photo', 'audio', 'thumbnailPhoto',
  'userCertificate', 'cACertificate', 'crossCertificatePair', 'userSMIMECertificate', 'userPKCS12',
  'authorityRevocationList', 'certificateRevocationList', 'deltaRevocationList', 'supportedAlgorithms',
  'objectGUID', 'objectSid',
];

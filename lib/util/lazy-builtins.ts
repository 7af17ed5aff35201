/**
 * Node built-ins that only some features use, loaded on first use instead of at import:
 * TLS (ldaps, StartTLS), crypto (SASL SCRAM and DIGEST-MD5), fs/promises and zlib (the sync
 * file store). Together they were about 5 ms of `require('rxldap')`, paid by every program,
 * most of which speak plain LDAP with a simple bind.
 */

type Tls = typeof import('node:tls');
type Crypto = typeof import('node:crypto');
type FsPromises = typeof import('node:fs/promises');
type Zlib = typeof import('node:zlib');

let tls: Tls | undefined;
let crypto: Crypto | undefined;
let fsPromises: FsPromises | undefined;
let zlib: Zlib | undefined;

export const nodeTls = (): Tls => (tls ??= require('node:tls') as Tls);
export const nodeCrypto = (): Crypto => (crypto ??= require('node:crypto') as Crypto);
export const nodeFs = (): FsPromises => (fsPromises ??= require('node:fs/promises') as FsPromises);
export const nodeZlib = (): Zlib => (zlib ??= require('node:zlib') as Zlib);

type Net = typeof import('node:net');
let net: Net | undefined;
/** TCP and Unix sockets: needed from the first connection on, not to load the package (about 3 M instructions). */
export const nodeNet = (): Net => (net ??= require('node:net') as Net);

type FsSync = typeof import('node:fs');
type Url = typeof import('node:url');
let fsSync: FsSync | undefined;
let url: Url | undefined;
/** Synchronous fs, for the LDIF reader's `file:` URL values (off by default, so seldom loaded). */
export const nodeFsSync = (): FsSync => (fsSync ??= require('node:fs') as FsSync);
export const nodeUrl = (): Url => (url ??= require('node:url') as Url);

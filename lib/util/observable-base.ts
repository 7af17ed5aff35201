/**
 * Operation's base class: rxjs's Observable. A module of its own so that the CommonJS bundle,
 * which Node's require and import of rxldap both load, can put in its place a base that loads
 * rxjs when first needed (a Client, an operation, a lookup of Observable's methods or statics
 * through Operation; scripts/bundle-first-use.mjs, lazyRxjsPlugin): rxjs's
 * Observable and the files it needs were a third of what loading rxldap cost. Here, and in the
 * ES module build for bundlers, it is the Observable itself.
 */
export { Observable as ObservableBase } from './rxjs';

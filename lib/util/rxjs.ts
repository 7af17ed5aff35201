/**
 * The one place that names rxjs's deep paths. rxjs's index loads its whole library (some 250
 * modules, most of rxldap's start-up time); the classes rxldap constructs need a dozen. The
 * paths are not public API: spec/unit/util/rxjs.spec.ts fails if rxjs moves them or they stop
 * being the very classes its index exports, and the lint refuses `rxjs/internal` anywhere else.
 * Types come from `'rxjs'` with `import type`, which costs nothing at run time.
 */
export { Observable } from 'rxjs/internal/Observable';
export { Subject } from 'rxjs/internal/Subject';

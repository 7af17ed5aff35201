/**
 * The test data is the examples' generator (examples/support/people.ts), so that the examples
 * import nothing from spec/ and the specs and examples see the same people.
 */
export * from '../../examples/support/people';

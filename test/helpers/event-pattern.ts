// The matcher lives beside the preview CLI, which uses it to tell an event the member rule would not
// forward; tests import it from here.
export { UnsupportedPatternError, matchesPattern } from '../../scripts/event-pattern-match';

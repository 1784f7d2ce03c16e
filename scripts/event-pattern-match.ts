/**
 * A small, offline EventBridge event-pattern matcher (tests and `npm run preview`): enough of the
 * documented semantics to check the rules this project synthesizes against real events, without calling
 * TestEventPattern.
 *
 * Supported: exact values (string, number, boolean, null), arrays of alternatives (OR), nested objects
 * (AND over keys), `{ "exists": true | false }`, `{ "prefix": "..." }`, `{ "anything-but": ... }`
 * (a value, a list of values, or `{ "prefix": "..." }`) and `"$or": [pattern, pattern, ...]` (Amazon
 * EventBridge User Guide, "Event patterns", "Or matching"). Anything else throws, so a pattern this
 * helper does not understand can never make a test pass by accident.
 *
 * EventBridge matches an event as flattened paths to leaves: a field under an object the event lacks is
 * simply absent, so `{ "exists": false }` matches it and every other matcher fails.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** Thrown for a pattern this matcher does not implement (or one EventBridge would reject). */
export class UnsupportedPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedPatternError';
  }
}

/** Does one leaf value of the event satisfy one matcher of a pattern array? `present` is false when absent. */
function leafMatches(matcher: unknown, value: unknown, present: boolean): boolean {
  if (isScalar(matcher)) return present && value === matcher;
  if (!isObject(matcher)) throw new UnsupportedPatternError(`unsupported matcher ${JSON.stringify(matcher)}`);
  const keys = Object.keys(matcher);
  if (keys.length !== 1)
    throw new UnsupportedPatternError(`matcher must have one operator: ${JSON.stringify(matcher)}`);
  const [operator] = keys as [string];
  const operand = matcher[operator];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new UnsupportedPatternError('exists takes true or false');
      return operand === present;
    case 'prefix':
      if (typeof operand !== 'string') throw new UnsupportedPatternError('prefix takes a string');
      return present && typeof value === 'string' && value.startsWith(operand);
    case 'anything-but':
      // EventBridge: anything-but never matches a field that is absent.
      return present && !anythingButExcludes(operand, value);
    default:
      throw new UnsupportedPatternError(`unsupported operator "${operator}"`);
  }
}

function anythingButExcludes(operand: unknown, value: unknown): boolean {
  if (isScalar(operand)) return value === operand;
  if (Array.isArray(operand)) {
    if (!operand.every(isScalar)) throw new UnsupportedPatternError('anything-but list takes plain values');
    return operand.includes(value as string | number | boolean | null);
  }
  if (isObject(operand) && Object.keys(operand).length === 1 && typeof operand.prefix === 'string') {
    return typeof value === 'string' && value.startsWith(operand.prefix);
  }
  throw new UnsupportedPatternError(`unsupported anything-but operand ${JSON.stringify(operand)}`);
}

/** A pattern array matches if any matcher matches the value, or (for an array value) any element of it. */
function arrayMatches(matchers: readonly unknown[], value: unknown, present: boolean): boolean {
  if (matchers.length === 0) throw new UnsupportedPatternError('a pattern array may not be empty');
  if (Array.isArray(value)) {
    // exists applies to the field; the other matchers apply to each element of an array value.
    return matchers.some((m) =>
      isObject(m) && 'exists' in m
        ? leafMatches(m, value, present)
        : value.some((v) => leafMatches(m, v, true)),
    );
  }
  if (isObject(value)) {
    // EventBridge matches leaves only: an object is "present" for exists, and equals no value.
    return matchers.some((m) => isObject(m) && 'exists' in m && leafMatches(m, value, present));
  }
  return matchers.some((m) => leafMatches(m, value, present));
}

/**
 * True when `event` matches the EventBridge `pattern` (both as plain JSON, keys as EventBridge sees
 * them, e.g. `detail-type`). Every key of the pattern must match (AND); each array is a set of
 * alternatives (OR).
 */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new UnsupportedPatternError('a pattern must be a JSON object');
  if (Object.keys(pattern).length === 0) throw new UnsupportedPatternError('a pattern may not be empty');
  const subject = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2 || !sub.every(isObject))
        throw new UnsupportedPatternError('$or takes a list of at least two patterns');
      return sub.some((alternative) => matchesPattern(alternative, subject));
    }
    const present = Object.hasOwn(subject, key);
    const value = subject[key];
    if (Array.isArray(sub)) return arrayMatches(sub, value, present);
    if (isObject(sub)) return matchesPattern(sub, isObject(value) ? value : {});
    throw new UnsupportedPatternError(`pattern value for "${key}" must be an array or an object`);
  });
}

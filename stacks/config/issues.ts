import { z } from 'zod';

function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** The value at `path` inside `raw`, or undefined when any step is missing. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = raw;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/**
 * One line per schema issue. A field that is absent says "required" and the expected form; zod's own
 * wording ("Invalid input: expected string, received undefined") never reaches the operator.
 */
export function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  const generic = issue.message.startsWith('Invalid input');
  const expected =
    issue.code === 'invalid_type' && generic
      ? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`
      : issue.message;
  if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(raw, issue.path) === undefined) {
    return `${where}: required; ${expected}`;
  }
  return `${where}: ${expected}`;
}

/**
 * Set process environment variables (`undefined` unsets one) and get back the function that puts the
 * previous values back: the demo sets the SDK's variables for its whole run, and each function's own
 * variables while its module initializes.
 */
export function setEnvironment(variables: Readonly<Record<string, string | undefined>>): () => void {
  const previous = Object.fromEntries(Object.keys(variables).map((k) => [k, process.env[k]]));
  const apply = (values: Readonly<Record<string, string | undefined>>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  };
  apply(variables);
  return () => {
    apply(previous);
  };
}

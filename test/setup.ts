import 'aws-sdk-client-mock-vitest/extend';

// The functions write a metric document (EMF: one JSON line with an `_aws` member) to stdout at the
// end of every invocation (functions/core/metrics.ts); hundreds of them buried the test log. Tests that
// read them capture stdout themselves (test/helpers/emf.ts, spies on process.stdout.write), which sees
// them before this filter; everything else is written as before.
const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
const isMetricLine = (line: string) => line === '' || (line.startsWith('{"_aws":') && line.endsWith('}'));
process.stdout.write = (chunk: unknown, ...rest: unknown[]) => {
  if (typeof chunk === 'string' && chunk.split('\n').every(isMetricLine)) {
    const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
    callback?.();
    return true;
  }
  return write(chunk, ...rest);
};

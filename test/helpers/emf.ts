import { vi } from 'vitest';

/** One metric value as CloudWatch extracts it from an EMF document: one per dimension set. */
export interface EmfDatapoint {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string | undefined;
  /** The dimension set's names with their values (from the document's root members). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly value: number;
}

/** An EMF document as logged (one JSON line). */
export type EmfDocument = Readonly<Record<string, unknown>>;

interface Directive {
  readonly Namespace?: unknown;
  readonly Dimensions?: unknown;
  readonly Metrics?: unknown;
}

/**
 * Problems of an EMF document, checked against "Specification: Embedded metric format" (Amazon
 * CloudWatch User Guide): `_aws.Timestamp` is a number (ms since the epoch); `CloudWatchMetrics` is an
 * array of directives with a `Namespace` (1-255 characters), `Dimensions` (an array of dimension sets,
 * each an array of at most 30 names, each naming a root member whose value is a string) and `Metrics`
 * (at most 100 definitions, each `Name` naming a root member that is a number or an array of at most
 * 100 numbers). An empty list means the document is valid.
 */
export function emfProblems(doc: EmfDocument): string[] {
  const problems: string[] = [];
  const aws = doc._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof aws !== 'object') return ['_aws: missing'];
  if (typeof aws.Timestamp !== 'number') problems.push('_aws.Timestamp: not a number');
  if (!Array.isArray(aws.CloudWatchMetrics)) return [...problems, '_aws.CloudWatchMetrics: not an array'];
  (aws.CloudWatchMetrics as Directive[]).forEach((directive, i) => {
    const at = `_aws.CloudWatchMetrics[${i}]`;
    const ns = directive.Namespace;
    if (typeof ns !== 'string' || ns.length < 1 || ns.length > 255) problems.push(`${at}.Namespace`);
    if (!Array.isArray(directive.Dimensions)) problems.push(`${at}.Dimensions: not an array`);
    else {
      for (const set of directive.Dimensions as unknown[]) {
        if (!Array.isArray(set) || set.length > 30) problems.push(`${at}.Dimensions: bad set`);
        else {
          for (const name of set as unknown[]) {
            if (typeof name !== 'string' || typeof doc[name] !== 'string') {
              problems.push(`${at}.Dimensions: ${String(name)} is not a root string member`);
            }
          }
        }
      }
    }
    if (!Array.isArray(directive.Metrics) || directive.Metrics.length > 100) {
      problems.push(`${at}.Metrics: not an array of at most 100`);
    } else {
      for (const metric of directive.Metrics as { Name?: unknown }[]) {
        const value = typeof metric.Name === 'string' ? doc[metric.Name] : undefined;
        const ok =
          typeof value === 'number' ||
          (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'number'));
        if (!ok) problems.push(`${at}.Metrics: ${String(metric.Name)} is not a root number member`);
      }
    }
  });
  return problems;
}

/** What CloudWatch would extract from the documents: one datapoint per metric and dimension set. */
export function datapointsOf(docs: readonly EmfDocument[]): EmfDatapoint[] {
  return docs.flatMap((doc) => {
    const directives = ((doc._aws as { CloudWatchMetrics?: Directive[] } | undefined)?.CloudWatchMetrics ??
      []) as { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[];
    return directives.flatMap((d) =>
      d.Dimensions.flatMap((set) =>
        d.Metrics.map((m) => {
          const raw = doc[m.Name];
          const value = Array.isArray(raw) ? (raw as number[]).reduce((a, b) => a + b, 0) : (raw as number);
          return {
            namespace: d.Namespace,
            name: m.Name,
            unit: m.Unit,
            dimensions: Object.fromEntries(set.map((k) => [k, String(doc[k])])),
            value,
          };
        }),
      ),
    );
  });
}

/**
 * The sum of a metric over the datapoints whose dimension set is exactly `dimensions` (names and
 * values), as a CloudWatch metric is identified; undefined when no such datapoint was written.
 */
export function metricSum(
  points: readonly EmfDatapoint[],
  name: string,
  dimensions: Readonly<Record<string, string>>,
): number | undefined {
  const wanted = Object.entries(dimensions).sort(([a], [b]) => a.localeCompare(b));
  const matching = points.filter((p) => {
    const have = Object.entries(p.dimensions).sort(([a], [b]) => a.localeCompare(b));
    return p.name === name && JSON.stringify(have) === JSON.stringify(wanted);
  });
  return matching.length === 0 ? undefined : matching.reduce((sum, p) => sum + p.value, 0);
}

/** Captured stdout lines that are EMF documents (Powertools writes EMF with `console.log` to stdout). */
export interface EmfCapture {
  /** EMF documents written since the capture started (or since the last `take`). */
  take(): EmfDocument[];
  /** Stop capturing; stdout writes pass through again. */
  restore(): void;
}

/**
 * Capture stdout: EMF lines are kept, every other line passes through. Powertools' Metrics binds
 * `process.stdout` when it is created and calls its `write` for each line, so a spy on `write` sees them.
 */
export function captureEmf(): EmfCapture {
  let lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const emf = text.split('\n').filter((line) => line.includes('"_aws"'));
    if (emf.length === 0) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    lines.push(...emf);
    return true;
  });
  return {
    take() {
      const docs = lines.map((line) => JSON.parse(line) as EmfDocument);
      lines = [];
      return docs;
    },
    restore() {
      spy.mockRestore();
    },
  };
}

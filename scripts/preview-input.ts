import { readFileSync, statSync } from 'node:fs';
import { UsageError } from './cli';

/** What `npm run preview` reads: one JSON file of CloudTrail events, checked with one-line errors. */

const EXPECTED_INPUT =
  'expected a CloudTrail record, an EventBridge event or an S3 log file {"Records": [...]}';

/** The records of an event file: one object, or every record of `{"Records": [...]}`. */
export function readRecords(file: string): readonly unknown[] {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new UsageError(`${file} is a folder; give one JSON file`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${String(code ?? error)})`,
    );
  }
  if (text.trim() === '') throw new UsageError(`${file} is empty; ${EXPECTED_INPUT}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (Array.isArray(json)) throw new UsageError(`${file} holds a JSON array; ${EXPECTED_INPUT}`);
  if (typeof json !== 'object' || json === null)
    throw new UsageError(`${file} is not a JSON object; ${EXPECTED_INPUT}`);
  const object = json as Record<string, unknown>;
  if ('Records' in object) {
    if (!Array.isArray(object.Records) || object.Records.length === 0) {
      throw new UsageError(`${file} has no records in "Records"; ${EXPECTED_INPUT}`);
    }
    return object.Records as unknown[];
  }
  if (!('detail' in object) && !('eventName' in object)) {
    throw new UsageError(`${file} has no event (no "eventName", "detail" or "Records"); ${EXPECTED_INPUT}`);
  }
  return [object];
}

import type { FindingRow } from '../findings/format';
import type { SweepReportSummary } from '../../functions/contract/sweep';
import type { DemoFunction } from './deployment';

/**
 * What the demo tells, as data: the runner emits these, a printer renders them (text for people, one
 * JSON object per line with `--json`), and the demo's test asserts on them.
 */
export type DemoEvent =
  /** A step of the story begins. */
  | {
      readonly type: 'step';
      readonly index: number;
      readonly total: number;
      readonly title: string;
      readonly atMs: number;
    }
  /** A detail of the current step: a function's outcome, a state of the sweep, the world changing. */
  | { readonly type: 'detail'; readonly text: string }
  /** A message published to SNS, as its subscriber receives it. */
  | {
      readonly type: 'message';
      readonly channel: 'email' | 'chat';
      /** The function that published it. */
      readonly from: DemoFunction;
      readonly topicArn: string;
      readonly subject: string;
      readonly body: string;
      readonly attributes: Readonly<Record<string, string>>;
    }
  /** A sweep execution ended; its reports are in the sweep bucket. */
  | {
      readonly type: 'sweep';
      readonly executionName: string;
      readonly mode: string;
      readonly summary: SweepReportSummary;
    }
  /** Where the last sweep's report was copied. */
  | {
      readonly type: 'report';
      readonly folder: string;
      readonly files: readonly string[];
      readonly logFile: string;
    }
  /** The open findings at the end, as `npm run findings` lists them. */
  | { readonly type: 'findings'; readonly rows: readonly FindingRow[]; readonly table: string }
  /** The last line. */
  | { readonly type: 'done'; readonly seconds: number; readonly text: string };

/** Where the runner sends its events. */
export type DemoSink = (event: DemoEvent) => void;

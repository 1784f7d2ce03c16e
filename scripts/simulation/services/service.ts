import type { HandlerResponse, SimRequest } from './protocol';

/**
 * One AWS service of the simulation. Adding an operation a function starts calling means adding its
 * name to `operations` and its answer to `answer`, in that service's file: nothing else. A request for
 * any other operation is refused and recorded (see SimulatedAws.gaps), so the demo fails loudly.
 */
export interface SimulatedService {
  /** The SigV4 signing name the SDK uses for the service (`organizations`, `s3`, `scheduler`...). */
  readonly name: string;
  /** The file that defines it (named when a function calls an operation it does not answer). */
  readonly file: string;
  /** Every operation this service answers. */
  readonly operations: readonly string[];
  /** The operation a request calls (read from `Action=`, `X-Amz-Target`, or the REST method and path). */
  operationOf(request: SimRequest): string | undefined;
  /** Answer one of {@link operations}. */
  answer(operation: string, request: SimRequest): Promise<HandlerResponse>;
}

import {
  restPath,
  rpcOperationOf,
  serviceOf,
  toResponse,
  unknownOperation,
  callerAccount,
  type HandlerResponse,
  type SimRequest,
} from './services/protocol';
import type { SimulatedService } from './services/service';

/** A call the simulation could not answer: a function uses an operation no simulated service lists. */
export interface SimulationGap {
  readonly service: string;
  readonly operation: string;
  /** The member account the call acted in, or `central`. */
  readonly account: string;
  /** Where to add the operation: the service's file, or a new one when no service has that name. */
  readonly file: string;
}

/** One call the simulation answered. */
export interface SimulatedCall {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly status: number;
}

/**
 * The simulated AWS endpoint: routes each request by its signing name to one {@link SimulatedService},
 * records it, and refuses (in the request's own protocol, never by hanging) any operation the
 * service does not list, recording the gap so the caller can fail with its name.
 */
export class SimulatedAws {
  readonly gaps: SimulationGap[] = [];
  readonly calls: SimulatedCall[] = [];
  private readonly services: ReadonlyMap<string, SimulatedService>;
  private readonly gapListeners = new Set<(gap: SimulationGap) => void>();

  constructor(services: readonly SimulatedService[]) {
    this.services = new Map(services.map((s) => [s.name, s]));
  }

  /** The object to pass as `requestHandler` (or to serve with startFakeAwsServer). */
  get requestHandler(): { handle: (request: SimRequest) => Promise<HandlerResponse> } {
    return { handle: (request) => this.handle(request) };
  }

  /** Be told of each gap as it happens (to stop at once); returns the function that stops listening. */
  onGap(listener: (gap: SimulationGap) => void): () => void {
    this.gapListeners.add(listener);
    return () => {
      this.gapListeners.delete(listener);
    };
  }

  /** The gaps recorded since the last call, removed from the list. */
  takeGaps(): SimulationGap[] {
    return this.gaps.splice(0, this.gaps.length);
  }

  private async handle(request: SimRequest): Promise<HandlerResponse> {
    const name = serviceOf(request);
    const service = this.services.get(name);
    const operation =
      service?.operationOf(request) ??
      rpcOperationOf(request) ??
      `${request.method ?? '?'} ${restPath(request).path}`;
    const account = callerAccount(request);
    if (service === undefined || !service.operations.includes(operation)) {
      const file =
        service?.file ??
        `scripts/simulation/services/${name}.ts (new; register it in scripts/simulation/organization.ts)`;
      const gap = { service: name, operation, account, file };
      this.gaps.push(gap);
      for (const listener of this.gapListeners) listener(gap);
      const answer = toResponse(
        unknownOperation(request, `the simulation does not answer ${name}:${operation}`),
      );
      this.calls.push({ service: name, operation, account, status: answer.response.statusCode });
      return answer;
    }
    const answer = await service.answer(operation, request);
    this.calls.push({ service: name, operation, account, status: answer.response.statusCode });
    return answer;
  }
}

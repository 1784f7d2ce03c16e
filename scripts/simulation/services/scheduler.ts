import { jsonBody, restJsonError, restPath, toResponse, type SimAnswer, type SimRequest } from './protocol';
import type { SimulatedService } from './service';

/** A one-time schedule as EventBridge Scheduler holds it. */
export interface Schedule {
  readonly name: string;
  readonly groupName: string;
  readonly expression: string;
  /** The target as given (`Arn`, `RoleArn`, `Input`, `DeadLetterConfig`...). */
  readonly target: Readonly<Record<string, unknown>>;
  readonly request: Readonly<Record<string, unknown>>;
}

/** Schedules by `<group>/<name>` (mutable). */
export type Schedules = Map<string, Schedule>;

const json = (body: unknown): SimAnswer => ({
  status: 200,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});

function nameOf(request: SimRequest): string {
  return restPath(request).path.replace(/^\/schedules\//, '');
}

/**
 * Amazon EventBridge Scheduler (REST-JSON): the checker's one-time re-checks at the end of the grace
 * period. The simulation fires them itself (SimulatedAws.dueSchedules) when its clock passes their time.
 */
export function schedulerService(schedules: Schedules, account: string, region: string): SimulatedService {
  const arn = (group: string, name: string) =>
    `arn:aws:scheduler:${region}:${account}:schedule/${group}/${name}`;
  const notFound = (name: string) =>
    restJsonError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
  const answers: Record<string, (request: SimRequest) => SimAnswer> = {
    CreateSchedule: (request) => {
      const name = nameOf(request);
      const body = jsonBody(request);
      const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
      if (schedules.has(`${group}/${name}`)) {
        return restJsonError(409, 'ConflictException', `Schedule ${name} already exists.`);
      }
      schedules.set(`${group}/${name}`, {
        name,
        groupName: group,
        expression: typeof body.ScheduleExpression === 'string' ? body.ScheduleExpression : '',
        target: (body.Target ?? {}) as Record<string, unknown>,
        request: body,
      });
      return json({ ScheduleArn: arn(group, name) });
    },
    GetSchedule: (request) => {
      const name = nameOf(request);
      const group = restPath(request).query.get('groupName') ?? 'default';
      const schedule = schedules.get(`${group}/${name}`);
      if (schedule === undefined) return notFound(name);
      return json({
        ...schedule.request,
        Name: name,
        GroupName: group,
        Arn: arn(group, name),
        State: 'ENABLED',
        ScheduleExpression: schedule.expression,
        Target: schedule.target,
      });
    },
    DeleteSchedule: (request) => {
      const name = nameOf(request);
      const group = restPath(request).query.get('groupName') ?? 'default';
      return schedules.delete(`${group}/${name}`) ? json({}) : notFound(name);
    },
  };
  return {
    name: 'scheduler',
    file: 'scripts/simulation/services/scheduler.ts',
    operations: Object.keys(answers),
    operationOf: (request) => {
      if (!restPath(request).path.startsWith('/schedules/')) return undefined;
      return { POST: 'CreateSchedule', GET: 'GetSchedule', DELETE: 'DeleteSchedule', PUT: 'UpdateSchedule' }[
        request.method ?? ''
      ];
    },
    answer: (operation, request) => {
      const answer = answers[operation];
      if (answer === undefined) throw new Error(`scheduler: no answer for ${operation}`);
      return Promise.resolve(toResponse(answer(request)));
    },
  };
}

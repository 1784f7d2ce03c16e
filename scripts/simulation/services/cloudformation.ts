import { queryError, toResponse, bodyText, rpcOperationOf, type SimAnswer } from './protocol';
import type { SimulatedService } from './service';
import type { OrgTree } from './organizations';

/** A StackSet instance's state (CloudFormation API reference, StackInstanceSummary). */
export interface StackInstanceState {
  readonly status: 'CURRENT' | 'OUTDATED' | 'INOPERABLE';
  readonly detailedStatus: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'INOPERABLE';
  readonly reason?: string;
}

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const PAGE = 100;

/**
 * AWS CloudFormation (query protocol) for the service-managed StackSet of the member template: one
 * instance per member account in us-east-1 (none in the management account, where a service-managed
 * StackSet never deploys), CURRENT unless `instanceOf` says otherwise (undefined: no instance yet).
 */
export function cloudFormationService(
  tree: OrgTree,
  region: string,
  instanceOf: (accountId: string) => StackInstanceState | undefined,
): SimulatedService {
  const answers: Record<string, (params: URLSearchParams) => SimAnswer> = {
    ListStackInstances: (params) => {
      const name = params.get('StackSetName') ?? '';
      const account = params.get('StackInstanceAccount');
      const rows = tree.accounts
        .filter((a) => a.id !== tree.managementAccountId && (account === null || a.id === account))
        .flatMap((a) => {
          const state = instanceOf(a.id);
          return state === undefined ? [] : [{ account: a, state }];
        });
      const start = Number(params.get('NextToken') ?? 0);
      const end = start + Math.min(PAGE, Number(params.get('MaxResults') ?? PAGE));
      const members = rows
        .slice(start, end)
        .map(
          ({ account: a, state }) =>
            `<member><StackSetId>${name}:simulated</StackSetId><Region>${region}</Region><Account>${a.id}</Account>` +
            `<StackId>arn:aws:cloudformation:${region}:${a.id}:stack/StackSet-${name}/simulated</StackId>` +
            `<Status>${state.status}</Status>${state.reason === undefined ? '' : `<StatusReason>${state.reason}</StatusReason>`}` +
            `<StackInstanceStatus><DetailedStatus>${state.detailedStatus}</DetailedStatus></StackInstanceStatus>` +
            `<OrganizationalUnitId>${a.parentId}</OrganizationalUnitId><DriftStatus>NOT_CHECKED</DriftStatus></member>`,
        )
        .join('');
      const next = end < rows.length ? `<NextToken>${end}</NextToken>` : '';
      return {
        status: 200,
        body: `<ListStackInstancesResponse xmlns="${NS}"><ListStackInstancesResult><Summaries>${members}</Summaries>${next}</ListStackInstancesResult><ResponseMetadata><RequestId>simulated</RequestId></ResponseMetadata></ListStackInstancesResponse>`,
        headers: { 'content-type': 'text/xml' },
      };
    },
  };
  return {
    name: 'cloudformation',
    file: 'scripts/simulation/services/cloudformation.ts',
    operations: Object.keys(answers),
    operationOf: rpcOperationOf,
    answer: (operation, request) => {
      const answer = answers[operation];
      if (answer === undefined)
        return Promise.resolve(toResponse(queryError(400, 'InvalidAction', operation)));
      return Promise.resolve(toResponse(answer(new URLSearchParams(bodyText(request)))));
    },
  };
}

import type { FakeMemberAccounts } from '../fake-member-accounts';
import { IAM_NS, xml } from '../fake-aws';
import {
  callerAccount,
  restPath,
  rpcOperationOf,
  toResponse,
  type HandlerResponse,
  type SimRequest,
} from './protocol';
import type { SimulatedService } from './service';

/**
 * The services the member accounts and the alert topic answer through {@link FakeMemberAccounts}
 * (STS AssumeRole into the check role, the IAM reads, the forward rule, SNS Publish, Security Hub
 * imports). Each lists the operations that fake answers; an operation it does not list is refused.
 */
export function memberServices(
  member: FakeMemberAccounts,
  aliasOf: (accountId: string) => string | undefined,
): SimulatedService[] {
  const delegate = (_operation: string, request: SimRequest) =>
    member.requestHandler.handle(request) as Promise<HandlerResponse>;
  const file = 'scripts/simulation/services/member.ts';
  const service = (name: string, operations: readonly string[]): SimulatedService => ({
    name,
    file,
    operations,
    operationOf: rpcOperationOf,
    answer: delegate,
  });
  return [
    service('sts', ['AssumeRole']),
    {
      name: 'iam',
      file,
      operations: [
        'ListMFADevices',
        'GetLoginProfile',
        'ListUserTags',
        'GetAccountSummary',
        'GenerateCredentialReport',
        'GetCredentialReport',
        'ListAccountAliases',
        // The sweep's canary (docs/adr/0021-canary.md): the check role tags itself.
        'TagRole',
        // Enforcement (ADR 0022), with the enforce role: the simulated accounts keep attached policies.
        'ListAttachedUserPolicies',
        'AttachUserPolicy',
        'DetachUserPolicy',
      ],
      operationOf: rpcOperationOf,
      answer: (operation, request) => {
        if (operation !== 'ListAccountAliases') return delegate(operation, request);
        // Each simulated account has its own alias (the fake's default is one alias for all).
        const alias = aliasOf(callerAccount(request));
        const members = alias === undefined ? '' : `<member>${alias}</member>`;
        return Promise.resolve(
          toResponse({
            status: 200,
            body: xml(
              operation,
              IAM_NS,
              `<AccountAliases>${members}</AccountAliases><IsTruncated>false</IsTruncated>`,
            ),
            headers: { 'content-type': 'text/xml' },
          }),
        );
      },
    },
    service('events', ['DescribeRule', 'ListTargetsByRule']),
    service('sns', ['Publish']),
    {
      name: 'securityhub',
      file,
      operations: ['BatchImportFindings'],
      operationOf: (request) =>
        restPath(request).path === '/findings/import' ? 'BatchImportFindings' : undefined,
      answer: delegate,
    },
  ];
}

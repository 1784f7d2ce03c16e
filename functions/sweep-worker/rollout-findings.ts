/**
 * The ROLLOUT_FAILED finding of an account whose check role could be assumed: its StackSet instance
 * can still have failed (an update that did not land leaves the old resources in place). Pure: decides
 * store operations from the planner's rollout state and the account's open findings.
 */
import type { SweepAccountItem } from '../contract/sweep';
import type { StoreOperation } from './reconcile';

/**
 * Add the ROLLOUT_FAILED operation to one account's operations (from `decideAccount`, which keeps every
 * open finding it does not judge):
 * - instance `failed`: observe ROLLOUT_FAILED (HIGH), replacing its `keep`;
 * - instance `current` or `pending` (deploying again): resolve an open ROLLOUT_FAILED (`rollout-recovered`);
 * - rollout status unknown or absent: leave an open one as it is.
 * Pure.
 */
export function withRolloutOperations(
  operations: readonly StoreOperation[],
  item: Pick<SweepAccountItem, 'accountId' | 'rollout'>,
): StoreOperation[] {
  const status = item.rollout?.status;
  if (status === undefined || status === 'unknown') return [...operations];
  const isRolloutKeep = (op: StoreOperation) => op.op === 'keep' && op.finding.kind === 'ROLLOUT_FAILED';
  const others = operations.filter((op) => !isRolloutKeep(op));
  if (status === 'failed') {
    return [
      ...others,
      {
        op: 'observe',
        ref: { accountId: item.accountId, kind: 'ROLLOUT_FAILED' },
        severity: 'HIGH',
        detail: 'ROLLOUT_FAILED',
      },
    ];
  }
  const open = operations.find(isRolloutKeep);
  if (open === undefined || open.op !== 'keep') return [...operations];
  return [...others, { op: 'resolve', finding: open.finding, reason: 'rollout-recovered' }];
}

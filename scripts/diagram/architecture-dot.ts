import { WATCHED_EVENT_NAMES } from '../../functions/shared/contract';
import { MEMBER_REGION, NAMES, STACK_IDS } from '../../stacks/names';

/** A DOT string literal; `\\n` sequences in the text stay DOT line breaks. */
function q(text: string): string {
  return `"${text.replace(/"/g, '\\"')}"`;
}

function node(id: string, label: string, attrs = ''): string {
  return `    ${id} [label=${q(label)}${attrs ? `, ${attrs}` : ''}];`;
}

function cluster(id: string, label: string, color: string, body: readonly string[]): string[] {
  return [
    `  subgraph cluster_${id} {`,
    `    label=${q(label)}; style="rounded,filled"; fillcolor=${q(color)}; color="#555555"; fontsize=13;`,
    ...body,
    '  }',
  ];
}

const STEP = 'color="#c0392b", fontcolor="#c0392b", penwidth=2';

/**
 * Graphviz DOT source of the architecture, generated from the shared names so the committed picture
 * cannot drift from the code: a renamed resource changes this output and fails the diagram test.
 * Pure; `npm run docs:diagram` writes it to docs/architecture.dot and renders docs/architecture.svg.
 */
export function architectureDot(homeRegion = 'homeRegion (default us-east-1)'): string {
  const events = WATCHED_EVENT_NAMES.join('\\n');
  const lines = [
    'digraph org_mfa_watch {',
    '  graph [rankdir=TB, fontname="Helvetica", fontsize=16, nodesep=0.35, ranksep=0.7, newrank=true,',
    `         label=${q('org-mfa-watch: red numbered edges = data flow of one CreateUser; blue edges = the org-wide sweep (docs/architecture.md)')}, labelloc=t];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=10, color="#555555"];',
    '',
    ...cluster('management', `management account (${MEMBER_REGION})`, '#fdf2e9', [
      node(
        'stackset',
        `StackSet ${NAMES.stackSet}\\n(stack ${STACK_IDS.rollout}, service-managed,\\nauto-deploys to target OUs, ${MEMBER_REGION} only)`,
      ),
      node(
        'mgmt_member',
        `stack ${STACK_IDS.managementMember}\\n(same member resources: a service-managed\\nStackSet never deploys to the management account)`,
      ),
      node('trail', 'organization trail\\n(prerequisite: logs management events)', 'shape=note'),
      node(
        'org_policy',
        `Organizations delegation policy\\n(role ${NAMES.sweepPlannerRole}: list and describe accounts only)`,
      ),
      node(
        'org_rule',
        `rule ${NAMES.orgEventsForwardRule}\\n(aws.organizations: CreateAccountResult,\\nAccountJoinedOrganization)`,
      ),
      node(
        'scp',
        `SCP ${NAMES.tamperProtectionPolicy} (optional)\\non the rollout OUs: only the StackSet may change\\nthe forward rule, its role, the check role, the exempt tag,\\nno stacksets-exec-* look-alike (+ trails, optional)`,
        'style="rounded,dashed,filled"',
      ),
    ]),
    '',
    ...cluster('delegated', 'delegated StackSets administrator (optional)', '#f4f6f6', [
      node(
        'delegated_rollout',
        `stack ${STACK_IDS.rollout}\\n(instead of the management account,\\nCallAs DELEGATED_ADMIN)`,
        'style="rounded,dashed,filled"',
      ),
    ]),
    '',
    ...cluster(
      'member',
      `member account A, incl. accounts that join later (StackSet instance, ${MEMBER_REGION})`,
      '#eaf2f8',
      [
        node('user', 'someone calls iam:CreateUser', 'shape=oval, fillcolor="#fadbd8"'),
        node('default_bus', `default event bus (${MEMBER_REGION})\\nCloudTrail: AWS API Call via CloudTrail`),
        node(
          'forward_rule',
          `rule ${NAMES.memberForwardRule}\\nsource aws.iam, no errorCode, eventName in:\\n${events}`,
        ),
        node('target_role', 'target role\\n(events:PutEvents on the central bus only)'),
        node(
          'member_dlq',
          `SQS ${NAMES.memberForwardDeadLetterQueue}\\n(forward failures; the sweep reads its depth)`,
          'shape=cylinder',
        ),
        node(
          'check_role',
          `role ${NAMES.memberCheckRole}\\nread-only: ListMFADevices, GetLoginProfile, ListUserTags,\\nListAccountAliases, GetAccountSummary, credential report,\\nits forward rule, its DLQ depth (+ Security Hub import of its own findings, optional)`,
          'fillcolor="#d5f5e3"',
        ),
      ],
    ),
    '',
    ...cluster('security', `security account (stack ${STACK_IDS.central}, ${homeRegion})`, '#eafaf1', [
      node('central_bus', `event bus ${NAMES.centralBus}\\npolicy: PutEvents only with aws:PrincipalOrgID`),
      node('archive', 'bus archive (replay)', 'shape=cylinder'),
      node('central_rule', 'central rule\\n(retry policy + DLQ)'),
      node('checker', `checker function\\nrole ${NAMES.checkerRole}`, 'fillcolor="#d6eaf8"'),
      node(
        'queues',
        'SQS: central-rule DLQ, on-failure destination,\\nquarantine, re-check DLQ',
        'shape=cylinder',
      ),
      node(
        'scheduler',
        `EventBridge Scheduler group ${NAMES.scheduleGroup}\\n(one-time grace-period re-checks)`,
      ),
      node(
        'topic',
        `SNS topic ${NAMES.alertTopic}\\nKMS key (customer managed), TLS only`,
        'fillcolor="#fcf3cf"',
      ),
      node(
        'chat_topic',
        `SNS topic ${NAMES.chatTopic} (optional)\\ncustom notifications only\\nKMS key (customer managed), TLS only`,
        'style="rounded,dashed,filled", fillcolor="#fcf3cf"',
      ),
      node(
        'chat_config',
        'Amazon Q Developer in chat applications\\n(one configuration per channel: read-only guardrail,\\nrole without permissions)',
        'style="rounded,dashed,filled"',
      ),
      node('alarms', 'CloudWatch alarms\\n(queue messages, function and Scheduler errors,\\nfailed sweeps)'),
      node(
        'dashboard',
        `CloudWatch dashboard ${NAMES.dashboard} (optional)\\nEMF metrics of checker and sweep`,
        'style="rounded,dashed,filled"',
      ),
      node(
        'sweep',
        `state machine ${NAMES.sweepStateMachine}\\nplan -> Distributed Map (batches, worker\\nrole ${NAMES.sweepWorkerRole}) -> report`,
        'fillcolor="#d6eaf8"',
      ),
      node(
        'sweep_schedule',
        `Scheduler group ${NAMES.sweepScheduleGroup}\\n(daily sweep, configured time zone)`,
      ),
      node(
        'sweep_bucket',
        'S3 sweep bucket (KMS, TLS only, versioned)\\naccount lists, map results, CSV/JSON reports',
        'shape=cylinder',
      ),
      node(
        'findings',
        `DynamoDB table ${NAMES.findingsTable}\\nfindings + idempotency records\\n(KMS key, TLS only, PITR, TTL)`,
        'shape=cylinder',
      ),
    ]),
    '',
    node('inbox', 'central inbox (email subscriptions)', 'shape=oval, fillcolor="#fcf3cf"'),
    node('chat', 'Slack / Microsoft Teams channels (optional)', 'shape=oval, fillcolor="#fcf3cf"'),
    node(
      'securityhub',
      'AWS Security Hub (optional)\\nin each member account, homeRegion',
      'shape=oval, style="dashed"',
    ),
    '',
    '  // deployment (grey, dashed)',
    '  stackset -> default_bus [style=dashed, label="deploys member resources"];',
    '  delegated_rollout -> stackset [style=dashed, label="or deploys from here"];',
    '  trail -> default_bus [style=dotted, label="management events"];',
    '',
    '  // the numbered flow',
    `  user -> default_bus [label="1 CreateUser event", ${STEP}];`,
    `  default_bus -> forward_rule [label="match", ${STEP}];`,
    `  forward_rule -> central_bus [label="2 forward (as target role)", ${STEP}];`,
    '  forward_rule -> target_role [style=dashed, arrowhead=none];',
    '  forward_rule -> member_dlq [style=dashed, label="failed"];',
    `  central_bus -> central_rule [label="3 central bus", ${STEP}];`,
    '  central_bus -> archive [style=dashed];',
    `  central_rule -> checker [label="4 invoke checker", ${STEP}];`,
    '  central_rule -> queues [style=dashed, label="failed"];',
    `  checker -> check_role [label="5 sts:AssumeRole\\n+ IAM reads", ${STEP}];`,
    '  checker -> scheduler [style=dashed, dir=both, label="grace period:\\nschedule, re-check"];',
    `  checker -> topic [label="6 publish\\nalert", ${STEP}];`,
    `  topic -> inbox [label="email", ${STEP}];`,
    '  checker -> chat_topic [style=dashed, label="after the email:\\ncustom notification"];',
    '  chat_topic -> chat_config [style=dashed];',
    '  chat_config -> chat [style=dashed, label="thread per finding"];',
    '  queues -> alarms [style=dashed];',
    '  checker -> findings [style=dashed, dir=both, label="one conditional write\\nper transition"];',
    '',
    '  // the sweep (blue) and the integrations',
    '  sweep_schedule -> sweep [color="#2e86c1", label="daily"];',
    '  org_rule -> central_bus [color="#2e86c1", label="account joined"];',
    `  central_bus -> sweep [color="#2e86c1", label="rules ${NAMES.sweepJoinedCreatedRule},\\n${NAMES.sweepJoinedInvitedRule}:\\nsweep the new account"];`,
    '  sweep -> org_policy [color="#2e86c1", label="list ACTIVE accounts"];',
    '  sweep -> check_role [color="#2e86c1", label="per account: assume,\\nreport, rule, root, live reads"];',
    '  sweep -> findings [color="#2e86c1", dir=both, label="reconcile"];',
    '  sweep -> sweep_bucket [color="#2e86c1", label="list, results,\\nreport"];',
    '  sweep -> topic [color="#2e86c1", label="one digest\\n+ new HIGH/CRITICAL"];',
    '  check_role -> securityhub [style=dashed, label="BatchImportFindings\\n(own account only)"];',
    '  scp -> check_role [style=dotted, arrowhead=tee, label="protects"];',
    '  alarms -> topic [style=dashed];',
    '}',
    '',
  ];
  return lines.join('\n');
}

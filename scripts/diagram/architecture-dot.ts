import { CANARY_EVENT_NAME } from '../../functions/contract/canary';
import { WATCHED_EVENT_NAMES } from '../../functions/contract/contract';
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
/** The canary loop (docs/adr/0021-canary.md): green. */
const CANARY = 'color="#1e8449", fontcolor="#1e8449"';
/** Enforcement, only with `enforcement.mode` other than off (docs/adr/0022-enforcement-quarantine.md). */
const OPTIONAL = 'style="rounded,dashed,filled"';

/** The graph attributes and the default node and edge styles. */
function graphHeader(): string[] {
  return [
    'digraph org_mfa_watch {',
    // Top to bottom, a few nodes per rank and short lines: the picture must stay readable at README
    // width (about 1000 points), not only on a wide screen.
    '  graph [rankdir=TB, fontname="Helvetica", fontsize=14, nodesep=0.25, ranksep=0.45, newrank=true,',
    `         label=${q('org-mfa-watch: red numbered edges = one CreateUser; blue = the daily sweep; green = its canary (docs/architecture.md)')}, labelloc=t];`,
    '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=10, margin="0.08,0.04"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
  ];
}

/** A member account: the forward rule, its roles and the optional enforcement pieces. */
function memberCluster(): string[] {
  const events = WATCHED_EVENT_NAMES.join(', ').replace(/(([^,]+,){3}) /g, '$1\\n');
  return cluster(
    'member',
    `member account A, incl. accounts that join later\\n(StackSet instance, ${MEMBER_REGION})`,
    '#eaf2f8',
    [
      node('user', 'someone calls iam:CreateUser', 'shape=oval, fillcolor="#fadbd8"'),
      node('default_bus', `default event bus (${MEMBER_REGION})\\nAWS API Call via CloudTrail`),
      node(
        'forward_rule',
        `rule ${NAMES.memberForwardRule}\\nsource aws.iam, no errorCode, eventName in:\\n${events}\\n+ ${CANARY_EVENT_NAME} of the check role (canary)`,
      ),
      node('target_role', 'target role\\n(PutEvents on the\\ncentral bus only)'),
      node(
        'member_dlq',
        `${NAMES.memberForwardDeadLetterQueue}\\n(SQS; the sweep\\nreads its depth)`,
        'shape=cylinder',
      ),
      node(
        'check_role',
        `role ${NAMES.memberCheckRole} (read-only)\\nListMFADevices, GetLoginProfile, ListUserTags,\\nListAccountAliases, GetAccountSummary,\\ncredential report, its forward rule\\nand DLQ depth (+ Security Hub, optional);\\n${CANARY_EVENT_NAME} on itself, canary tag only`,
        'fillcolor="#d5f5e3"',
      ),
      node('securityhub', 'AWS Security Hub\\n(optional, homeRegion)', 'shape=oval, style="dashed"'),
      node(
        'enforce_role',
        `role ${NAMES.memberEnforceRole} (optional)\\nAttach/DetachUserPolicy of the\\nquarantine policy only`,
        OPTIONAL,
      ),
      node(
        'quarantine',
        `policy ${NAMES.quarantinePolicy}\\ndenies all but MFA enrolment\\nuntil signed in with MFA`,
        `shape=note, ${OPTIONAL}`,
      ),
    ],
  );
}

/** The management account: the StackSet, its own member stack, the trail and the SCP. */
function managementCluster(): string[] {
  return cluster('management', `management account (${MEMBER_REGION})`, '#fdf2e9', [
    node(
      'stackset',
      `StackSet ${NAMES.stackSet} (stack ${STACK_IDS.rollout})\\ndeploys the member resources to every\\naccount of the target OUs, ${MEMBER_REGION} only;\\nrole ${NAMES.rolloutReaderRole}: its\\ninstances' status, read by the sweep planner`,
    ),
    node(
      'mgmt_member',
      `stack ${STACK_IDS.managementMember}\\n(the member resources: a StackSet\\nnever deploys to this account)`,
    ),
    node(
      'trail',
      'organization trail (prerequisite):\\nsends the management events\\nto every default bus',
      'shape=note',
    ),
    node(
      'org_rule',
      `rule ${NAMES.orgEventsForwardRule}\\n(aws.organizations: CreateAccountResult,\\nAccountJoinedOrganization)`,
    ),
    node(
      'org_policy',
      `Organizations delegation policy\\n(role ${NAMES.sweepPlannerRole}:\\nlist and describe accounts)`,
    ),
    node(
      'scp',
      `SCP ${NAMES.tamperProtectionPolicy}\\n(optional) protects the member accounts:\\nonly the StackSet changes the forward\\nrule, its role, the check role, the exempt tag,\\nthe quarantine policy (+ stacksets-exec-* roles;\\ntrails, optional)`,
      'style="rounded,dashed,filled"',
    ),
  ]);
}

/** The optional delegated StackSets administrator. */
function delegatedCluster(): string[] {
  return cluster('delegated', 'delegated StackSets admin (optional)', '#f4f6f6', [
    node(
      'delegated_rollout',
      `stack ${STACK_IDS.rollout}\\n(CallAs DELEGATED_ADMIN)`,
      'style="rounded,dashed,filled"',
    ),
  ]);
}

/** The security account: the central stack and its resources, three nodes a row. */
function securityCluster(homeRegion: string): string[] {
  return cluster('security', `security account: stack ${STACK_IDS.central}, ${homeRegion}`, '#eafaf1', [
    node('central_bus', `event bus ${NAMES.centralBus}\\nPutEvents only with aws:PrincipalOrgID`),
    node('archive', 'bus archive\\n(replay)', 'shape=cylinder'),
    node('central_rule', 'central rule\\n(retry policy + DLQ)'),
    node('sweep_schedule', `Scheduler group\\n${NAMES.sweepScheduleGroup}\\n(daily sweep)`),
    node('checker', `checker function\\nrole ${NAMES.checkerRole}`, 'fillcolor="#d6eaf8"'),
    node(
      'sweep',
      `state machine ${NAMES.sweepStateMachine}\\nplan -> Distributed Map -> canary wait\\n-> report (compares canaries)\\n(worker role ${NAMES.sweepWorkerRole})`,
      'fillcolor="#d6eaf8"',
    ),
    node('queues', 'SQS: rule DLQ, on-failure,\\nquarantine, re-check DLQ', 'shape=cylinder'),
    node('scheduler', `Scheduler group ${NAMES.scheduleGroup}\\n(one-time re-checks)`),
    node(
      'findings',
      `DynamoDB ${NAMES.findingsTable}\\nfindings + idempotency\\n(KMS, TLS only, PITR, TTL)`,
      'shape=cylinder',
    ),
    node(
      'sweep_bucket',
      'S3 sweep bucket\\n(KMS, TLS only, versioned)\\nlists, results, reports',
      'shape=cylinder',
    ),
    node('topic', `SNS topic ${NAMES.alertTopic}\\nKMS key, TLS only`, 'fillcolor="#fcf3cf"'),
    node(
      'chat_topic',
      `SNS topic ${NAMES.chatTopic}\\n(optional) KMS key, TLS only`,
      'style="rounded,dashed,filled", fillcolor="#fcf3cf"',
    ),
    node('alarms', 'CloudWatch alarms\\n(queues, errors,\\nfailed sweeps)'),
    node(
      'chat_config',
      'Amazon Q Developer in chat\\napplications (read-only\\nguardrail, no permissions)',
      'style="rounded,dashed,filled"',
    ),
    node(
      'dashboard',
      `dashboard ${NAMES.dashboard}\\n(optional) EMF metrics`,
      'style="rounded,dashed,filled"',
    ),
    '    { rank=same; central_bus; archive; }',
    '    { rank=same; central_rule; sweep_schedule; }',
    '    { rank=same; checker; sweep; queues; }',
    '    { rank=same; scheduler; findings; sweep_bucket; }',
    '    { rank=same; topic; chat_topic; alarms; }',
    '    { rank=same; chat_config; dashboard; }',
  ]);
}

/** The recipients and the invisible edges that keep the accounts in one readable column. */
function layout(): string[] {
  return [
    node('inbox', 'central inbox\\n(email subscriptions)', 'shape=oval, fillcolor="#fcf3cf"'),
    node('chat', 'Slack / Microsoft Teams\\n(optional)', 'shape=oval, fillcolor="#fcf3cf"'),
    '  { rank=same; inbox; chat; }',
    // One column of accounts: the member account on top, the security account below it, and the
    // accounts that deploy (management, delegated administrator) at the bottom; the flow reads downwards.
    '  { rank=same; mgmt_member; trail; }',
    '  { rank=same; org_policy; org_rule; scp; }',
    '  inbox -> stackset [style=invis];',
    '  stackset -> mgmt_member -> org_rule [style=invis];',
    '  scp -> delegated_rollout [style=invis];',
    '  alarms -> dashboard [style=invis];',
    // At most three nodes a row inside the security account (it is the widest part of the picture).
    '  scheduler -> chat_topic [style=invis];',
    '  findings -> topic [style=invis];',
    '  sweep_bucket -> alarms [style=invis];',
  ];
}

/** The deployment edge and the numbered CreateUser flow (red). */
function flowEdges(): string[] {
  return [
    '  // deployment (grey, dashed)',
    '  stackset -> delegated_rollout [style=dashed, label="or deployed from", dir=back];',
    '',
    '  // the numbered flow',
    `  user -> default_bus [label="1 CreateUser event", ${STEP}];`,
    `  default_bus -> forward_rule [label="match", ${STEP}];`,
    `  forward_rule -> central_bus [label="2 forward (as target role)", ${STEP}];`,
    '  forward_rule -> target_role [style=dashed, arrowhead=none];',
    '  forward_rule -> member_dlq [style=dashed, label="failed"];',
    '  forward_rule -> check_role [style=invis];',
    // The member account's nodes all above the security account's: the clusters stack, not overlap.
    '  check_role -> central_bus [style=invis];',
    '  target_role -> central_bus [style=invis];',
    '  securityhub -> central_bus [style=invis];',
    '  member_dlq -> central_bus [style=invis];',
    `  central_bus -> central_rule [label="3 central bus", ${STEP}];`,
    '  central_bus -> archive [style=dashed];',
    `  central_rule -> checker [label="4 invoke checker", ${STEP}];`,
    '  central_rule -> queues [style=dashed, label="failed"];',
    // Edges that point up are drawn from their upper end with dir=back, so they keep the ranks straight.
    `  check_role -> checker [label="5 sts:AssumeRole\\n+ IAM reads", ${STEP}, dir=back];`,
    '  checker -> scheduler [style=dashed, dir=both, label="grace period"];',
    `  checker -> topic [label="6 publish alert", ${STEP}];`,
    `  topic -> inbox [label="email", ${STEP}];`,
    '  checker -> chat_topic [style=dashed, label="after the email"];',
    '  chat_topic -> chat_config [style=dashed];',
    '  chat_config -> chat [style=dashed, label="thread per finding"];',
    '  queues -> alarms [style=dashed];',
    '  checker -> findings [style=dashed, dir=both, label="one write per transition;\\ncanary arrival"];',
  ];
}

/** The daily sweep (blue), its canary (green), enforcement and the integrations. */
function sweepEdges(): string[] {
  return [
    '  // the sweep (blue) and the integrations',
    '  sweep_schedule -> sweep [color="#2e86c1", label="daily"];',
    '  central_bus -> org_rule [color="#2e86c1", label="joined", dir=back];',
    `  central_bus -> sweep [color="#2e86c1", label="rules\\n${NAMES.sweepJoinedCreatedRule},\\n${NAMES.sweepJoinedInvitedRule}"];`,
    '  sweep -> org_policy [color="#2e86c1", label="list\\naccounts"];',
    '  check_role -> sweep [color="#2e86c1", label="per account", dir=back];',
    `  default_bus -> check_role [label="canary: ${CANARY_EVENT_NAME}\\nby the worker", ${CANARY}, dir=back];`,
    '  enforce_role -> sweep [color="#2e86c1", style=dashed, label="quarantine,\\nrelease", dir=back];',
    '  enforce_role -> quarantine [style=dashed, label="attach to\\na user"];',
    '  forward_rule -> enforce_role [style=invis];',
    '  enforce_role -> central_bus [style=invis];',
    '  quarantine -> central_bus [style=invis];',
    '  stackset -> sweep [color="#2e86c1", dir=back, constraint=false];',
    '  sweep -> findings [color="#2e86c1", dir=both, label="reconcile,\\ncanary compare"];',
    '  sweep -> sweep_bucket [color="#2e86c1", label="lists, report"];',
    '  sweep -> topic [color="#2e86c1", label="digest + new\\nHIGH/CRITICAL"];',
    '  check_role -> securityhub [style=dashed, label="BatchImportFindings"];',
    '  alarms -> topic [style=dashed];',
  ];
}

/**
 * Graphviz DOT source of the architecture, generated from the shared names so the committed picture
 * cannot drift from the code: a renamed resource changes this output and fails the diagram test.
 * Pure; `npm run docs:diagram` writes it to docs/architecture.dot and renders docs/architecture.svg.
 */
export function architectureDot(homeRegion = 'homeRegion (default us-east-1)'): string {
  const lines = [
    ...graphHeader(),
    '',
    ...memberCluster(),
    '',
    ...managementCluster(),
    '',
    ...delegatedCluster(),
    '',
    ...securityCluster(homeRegion),
    '',
    ...layout(),
    '',
    ...flowEdges(),
    '',
    ...sweepEdges(),
    '}',
    '',
  ];
  return lines.join('\n');
}

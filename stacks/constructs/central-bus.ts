import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { IAM_EVENT_SOURCE } from '../../functions/contract/contract';
import { NAMES } from '../names';

/** Properties of {@link CentralBus}. */
export interface CentralBusProps {
  /** Only principals of this organization may put events on the bus. */
  readonly organizationId: string;
  /** Days the archive keeps IAM events for replay. */
  readonly archiveRetentionDays: number;
}

/**
 * The central bus `org-mfa-watch`: member accounts' forward rules put events on it (their target role
 * is a principal of the organization); nobody else can. An archive keeps the IAM events so they can
 * be replayed after an outage.
 */
export class CentralBus extends Construct {
  /** The bus `org-mfa-watch`. */
  readonly bus: events.EventBus;
  /** Archive of the IAM events on the bus (replay after an outage). */
  readonly archive: events.Archive;

  constructor(scope: Construct, id: string, props: CentralBusProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: NAMES.centralBus,
      description: 'org-mfa-watch: IAM events forwarded from every account of the organization',
    });
    // "*" with aws:PrincipalOrgID: any principal of the organization, and only those. Sources
    // starting with "aws." cannot be sent with PutEvents, so an aws.iam event here came from IAM.
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowPutEventsFromTheOrganization',
        principals: [new iam.StarPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      }),
    );
    this.archive = this.bus.archive('Archive', {
      archiveName: `${NAMES.centralBus}-iam-events`,
      description: 'org-mfa-watch: IAM events kept for replay after an outage',
      eventPattern: { source: [IAM_EVENT_SOURCE] },
      retention: Duration.days(props.archiveRetentionDays),
    });
  }
}

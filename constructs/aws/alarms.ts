import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { Construct } from "constructs";

export interface ReplicationAlarmTarget {
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

export interface PlatformAlarmsProps {
  /** Prefix of the topic and alarm names. */
  readonly name: string;
  readonly topicKmsKeyArn: string;
  readonly dbInstanceIdentifier: string;
  /** max_connections of the database: the connections alarm fires at 90 % of it. */
  readonly maxConnections: number;
  /** The database is a read replica: alarm on its lag against the RPO. @default false: no replica-lag alarm */
  readonly replica?: boolean;
  /** Recovery point objective in seconds (DR: 900). */
  readonly rpoSeconds: number;
}

/** CloudWatch alarms for what Prometheus cannot see (RDS and S3 replication), sent to one
 *  KMS-encrypted SNS topic that operators subscribe to. */
export class PlatformAlarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: PlatformAlarmsProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: `${props.name}-alerts`, kmsMasterKeyId: props.topicKmsKeyArn });
    const actions = { alarmActions: [this.topic.arn], okActions: [this.topic.arn] };
    const db = { namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: props.dbInstanceIdentifier } };
    const alarm = (
      key: string,
      description: string,
      config: Omit<ConstructorParameters<typeof CloudwatchMetricAlarm>[2], "alarmName" | "alarmDescription">,
    ) =>
      new CloudwatchMetricAlarm(this, key, {
        alarmName: `${props.name}-${key}`,
        alarmDescription: description,
        treatMissingData: "missing",
        ...actions,
        ...config,
      });

    alarm("db-cpu", "PostgreSQL CPU above 80 % for 15 minutes", {
      ...db,
      metricName: "CPUUtilization",
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      threshold: 80,
      comparisonOperator: "GreaterThanThreshold",
    });
    alarm("db-connections", "PostgreSQL connections above 90 % of max_connections", {
      ...db,
      metricName: "DatabaseConnections",
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 2,
      threshold: Math.floor(props.maxConnections * 0.9),
      comparisonOperator: "GreaterThanThreshold",
    });
    alarm("db-free-storage", "PostgreSQL free storage below 10 GiB (storage autoscaling may be at its ceiling)", {
      ...db,
      metricName: "FreeStorageSpace",
      statistic: "Minimum",
      period: 300,
      evaluationPeriods: 2,
      threshold: 10 * 2 ** 30,
      comparisonOperator: "LessThanThreshold",
    });
    if (props.replica) {
      alarm("db-replica-lag", `Cross-region replica lag above the RPO (${props.rpoSeconds} s)`, {
        ...db,
        metricName: "ReplicaLag",
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        threshold: props.rpoSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "breaching",
      });
    }
  }
}

export interface ReplicationAlarmsProps {
  /** Prefix of the topic and alarm names. */
  readonly name: string;
  /** Provider for the source buckets' region: S3 replication metrics live there, and an alarm
   *  notifies only a topic of its own region. */
  readonly provider: AwsProvider;
  /** Alias of the KMS key, in that region, that encrypts the topic (SNS accepts an alias: no lookup). */
  readonly topicKmsKeyAlias: string;
  /** Recovery point objective in seconds (DR: 900). */
  readonly rpoSeconds: number;
  readonly buckets: readonly ReplicationAlarmTarget[];
}

/** An alarm per replication rule whose latency exceeds the RPO, sent to a topic in the source's region. */
export class ReplicationAlarms extends Construct {
  constructor(scope: Construct, id: string, props: ReplicationAlarmsProps) {
    super(scope, id);
    const topic = new SnsTopic(this, "topic", {
      provider: props.provider,
      name: `${props.name}-replication-alerts`,
      kmsMasterKeyId: props.topicKmsKeyAlias,
    });
    for (const bucket of props.buckets) {
      new CloudwatchMetricAlarm(this, `s3-replication-${bucket.ruleId}`, {
        provider: props.provider,
        alarmName: `${props.name}-s3-replication-${bucket.ruleId}`,
        alarmDescription: `S3 replication of ${bucket.sourceBucket} later than the RPO (${props.rpoSeconds} s)`,
        treatMissingData: "missing",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
        namespace: "AWS/S3",
        metricName: "ReplicationLatency",
        dimensions: {
          SourceBucket: bucket.sourceBucket,
          DestinationBucket: bucket.destinationBucket,
          RuleId: bucket.ruleId,
        },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: props.rpoSeconds,
        comparisonOperator: "GreaterThanThreshold",
      });
    }
  }
}

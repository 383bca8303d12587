// Dremio's REST API bodies the bootstrap Job sends, typed so a misspelt field fails the type check
// (field names of api/v3/catalog and Dremio's S3PluginConfig, as Dremio OSS documents them).

/** The body of POST /api/v3/catalog for the lake as an S3 source: the fields set here. */
export interface DremioS3Source {
  readonly entityType: "source";
  readonly name: string;
  readonly type: "S3";
  readonly config: {
    readonly credentialType: "AWS_PROFILE";
    readonly awsProfile: string;
    readonly secure: boolean;
    readonly compatibilityMode: boolean;
    readonly whitelistedBuckets: readonly string[];
    readonly externalBucketList: readonly string[];
    readonly rootPath: string;
    readonly enableAsync: boolean;
    readonly isCachingEnabled: boolean;
    readonly maxCacheSpacePct: number;
    readonly defaultCtasFormat: "ICEBERG" | "PARQUET";
    readonly propertyList: readonly { readonly name: string; readonly value: string }[];
  };
  readonly accelerationActivePolicyType: "PERIOD" | "NEVER" | "SCHEDULE";
  readonly accelerationRefreshPeriodMs: number;
  readonly accelerationGracePeriodMs: number;
  readonly accelerationNeverExpire: boolean;
  readonly accelerationNeverRefresh: boolean;
}

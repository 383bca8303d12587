// Pinned lists of what exists in AWS, so that a typo in a region or an instance class is caught by
// `npm test` with a suggestion instead of by `terraform apply` an hour later.
//
// Taken by hand from AWS's published lists as of late 2025: regions from the AWS General Reference
// (Regions and Availability Zones; the "aws" and "aws-us-gov" partitions of botocore's
// endpoints.json), RDS classes from "Supported DB engines for DB instance classes" (RDS for
// PostgreSQL, current generation), EC2 types from "Amazon EC2 instance types" (current generation
// families a node group uses). When AWS adds a region or a family, add it here (one line) and say so
// in the commit; a name that is not here is refused with the nearest one that is.
//
// Only the partitions the product builds ARNs for (lib/aws.ts partitionOf): commercial and
// GovCloud. China (aws-cn), ISO and the European Sovereign Cloud are left out on purpose.

/** Commercial regions (partition aws). */
const commercialRegions = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-south-1",
  "ap-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
] as const;
/** AWS GovCloud (US) regions (partition aws-us-gov). */
const govCloudRegions = ["us-gov-east-1", "us-gov-west-1"] as const;

export const awsRegions: readonly string[] = [...commercialRegions, ...govCloudRegions];

const sizes = (...sizeNames: string[]) => sizeNames;
const xl = (...multiples: number[]) => multiples.map((k) => `${k}xlarge`);
/** Intel and AMD families of the 6th generation: large to 32xlarge. */
const gen6x86 = sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 24, 32));
/** 7th and 8th generation x86 and 8th generation Graviton: large to 48xlarge. */
const gen7x86 = sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 24, 48));
const graviton = sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16));
const gen5 = sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 24));
const burstable = sizes("micro", "small", "medium", "large", "xlarge", "2xlarge");

/** RDS for PostgreSQL DB instance classes (current generation), by family. */
const rdsFamilies: Record<string, readonly string[]> = {
  t3: burstable,
  t4g: burstable,
  m5: gen5,
  m5d: gen5,
  m6g: graviton,
  m6gd: graviton,
  m6i: gen6x86,
  m6id: gen6x86,
  m6idn: gen6x86,
  m6in: gen6x86,
  m7g: graviton,
  m7i: gen7x86,
  m8g: gen7x86,
  r5: gen5,
  r5b: gen5,
  r5d: gen5,
  r6g: graviton,
  r6gd: graviton,
  r6i: gen6x86,
  r6id: gen6x86,
  r6idn: gen6x86,
  r6in: gen6x86,
  r7g: graviton,
  r7i: gen7x86,
  r8g: gen7x86,
  x2g: graviton,
  x2idn: xl(16, 24, 32),
  x2iedn: sizes("xlarge", ...xl(2, 4, 8, 16, 24, 32)),
};
export const rdsInstanceClasses: readonly string[] = Object.entries(rdsFamilies).flatMap(([family, familySizes]) =>
  familySizes.map((size) => `db.${family}.${size}`),
);

const withMetal = (familySizes: readonly string[]) => [...familySizes, "metal"];
const gravitonEc2 = sizes("medium", ...graviton);
const burstableEc2 = sizes("nano", ...burstable);
/** EC2 instance types for EKS node groups (general purpose, compute, memory, storage optimized,
 *  GPU), by family. */
const ec2Families: Record<string, readonly string[]> = {
  t3: burstableEc2,
  t3a: burstableEc2,
  t4g: burstableEc2,
  m5: withMetal(gen5),
  m5a: gen5,
  m5d: withMetal(gen5),
  m6a: withMetal(sizes(...gen6x86, "48xlarge")),
  m6g: withMetal(gravitonEc2),
  m6gd: withMetal(gravitonEc2),
  m6i: withMetal(gen6x86),
  m6id: withMetal(gen6x86),
  m7a: withMetal(sizes("medium", ...gen7x86, "32xlarge")),
  m7g: withMetal(gravitonEc2),
  m7gd: withMetal(gravitonEc2),
  m7i: withMetal(gen7x86),
  "m7i-flex": sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16)),
  m8g: withMetal(sizes("medium", ...gen7x86)),
  m8i: withMetal(sizes(...gen7x86, "32xlarge", "96xlarge")),
  c5: withMetal(sizes("large", "xlarge", ...xl(2, 4, 9, 12, 18, 24))),
  c5a: sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 24)),
  c6a: withMetal(sizes(...gen6x86, "48xlarge")),
  c6g: withMetal(gravitonEc2),
  c6gd: withMetal(gravitonEc2),
  c6i: withMetal(gen6x86),
  c6id: withMetal(gen6x86),
  c7a: withMetal(sizes("medium", ...gen7x86, "32xlarge")),
  c7g: withMetal(gravitonEc2),
  c7gd: withMetal(gravitonEc2),
  c7i: withMetal(gen7x86),
  c8g: withMetal(sizes("medium", ...gen7x86)),
  r5: withMetal(gen5),
  r5a: gen5,
  r5d: withMetal(gen5),
  r6a: withMetal(sizes(...gen6x86, "48xlarge")),
  r6g: withMetal(gravitonEc2),
  r6gd: withMetal(gravitonEc2),
  r6i: withMetal(gen6x86),
  r6id: withMetal(gen6x86),
  r7a: withMetal(sizes("medium", ...gen7x86, "32xlarge")),
  r7g: withMetal(gravitonEc2),
  r7gd: withMetal(gravitonEc2),
  r7i: withMetal(gen7x86),
  r7iz: withMetal(sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 32))),
  r8g: withMetal(sizes("medium", ...gen7x86)),
  r8i: withMetal(sizes(...gen7x86, "32xlarge", "96xlarge")),
  x2gd: withMetal(gravitonEc2),
  x2idn: withMetal(xl(16, 24, 32)),
  x2iedn: withMetal(sizes("xlarge", ...xl(2, 4, 8, 16, 24, 32))),
  i3: withMetal(sizes("large", "xlarge", ...xl(2, 4, 8, 16))),
  i4g: sizes("large", "xlarge", ...xl(2, 4, 8, 16)),
  i4i: withMetal(sizes("large", "xlarge", ...xl(2, 4, 8, 12, 16, 24, 32))),
  g5: sizes("xlarge", ...xl(2, 4, 8, 12, 16, 24, 48)),
  g6: sizes("xlarge", ...xl(2, 4, 8, 12, 16, 24, 48)),
  g6e: sizes("xlarge", ...xl(2, 4, 8, 12, 16, 24, 48)),
};
export const ec2InstanceTypes: readonly string[] = Object.entries(ec2Families).flatMap(([family, familySizes]) =>
  familySizes.map((size) => `${family}.${size}`),
);

// The live tier's pure parts, offline: what it reads from the synthesized stacks and from README.
import { describe, expect, it } from "vitest";
import { conditionWaits } from "../scripts/live/condition-stand-in";
import { readmeCapacity } from "../scripts/live/dev";
import { providerOverrides, seedsOf } from "../scripts/live/moto";

describe("live tier", () => {
  it("sizes its kind node from the capacity README tells users to give their cluster", () => {
    const capacity = readmeCapacity();
    expect(capacity.cpu).toBeGreaterThan(0);
    expect(capacity.memoryGiB).toBeGreaterThan(0);
  });

  it("stands in only for conditions a stack waits on in custom resources", () => {
    const stack = {
      resource: {
        kubernetes_manifest: {
          es: {
            manifest: { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret" },
            wait: { condition: [{ type: "Ready", status: "True" }] },
          },
          job: {
            manifest: { apiVersion: "batch/v1", kind: "Job" },
            wait: { condition: [{ type: "Complete", status: "True" }] },
          },
          route: {
            manifest: { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute" },
            wait: { condition: [{ type: "Accepted", status: "True" }] },
          },
          sts: { manifest: { apiVersion: "apps/v1", kind: "StatefulSet" }, wait: { rollout: true } },
        },
      },
    };
    expect(conditionWaits(stack)).toEqual([
      { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", type: "Ready", status: "True" },
    ]);
  });

  it("seeds what a foundation's data sources read, in the region of the provider they use", () => {
    const stack = {
      provider: {
        aws: [
          { region: "eu-west-1", allowed_account_ids: ["210987654321"] },
          { alias: "source", region: "eu-central-1" },
        ],
      },
      data: {
        aws_route53_zone: { zone: { name: "acme-data.io" } },
        aws_kms_alias: { a: { name: "alias/odp-prod-s3", provider: "aws.source" }, b: { name: "alias/local" } },
      },
    };
    expect(seedsOf(stack)).toEqual({
      zones: ["acme-data.io"],
      aliases: [
        { name: "alias/odp-prod-s3", region: "eu-central-1" },
        { name: "alias/local", region: "eu-west-1" },
      ],
    });
    expect(providerOverrides(stack).provider.aws.map((provider: { alias?: string }) => provider.alias)).toEqual([
      undefined,
      "source",
    ]);
  });
});

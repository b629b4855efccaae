// The artifact bucket's policy (development account), as deployed.

import { GetBucketPolicyCommand } from "@aws-sdk/client-s3";
import type { StackConfig } from "../../../components/config/stackConfig";
import { errorName } from "../../../components/awsSdk/errors";
import type { AccountClients } from "../clients";
import type { CheckResult } from "../types";
import { DocumentCheck, unreadable, type Read } from "./reader";

export async function readBucketPolicy(
    config: StackConfig,
    dev: AccountClients,
    results: CheckResult[],
): Promise<Read> {
    const bucket = config.modelDevelopment.artifactBucket.name;
    const check = new DocumentCheck(
        "deployed.bucketPolicy",
        `Bucket policy of s3://${bucket} (development account)`,
        results,
    );
    const out = await check.attempt(
        () => dev.s3.send(new GetBucketPolicyCommand({ Bucket: bucket })),
        (e) => {
            const code = errorName(e);
            if (code === "NoSuchBucketPolicy") {
                return {
                    state: "absent",
                    detail: `the bucket has no policy (deleted out of band?), so the execution role cannot read it`,
                    fix: `Run pulumi up to restore the bucket policy.`,
                };
            }
            if (code === "NoSuchBucket") {
                return {
                    state: "absent",
                    detail: `bucket ${bucket} does not exist`,
                    fix: config.modelDevelopment.artifactBucket.create
                        ? `Run pulumi up to create it, then upload the model artifacts.`
                        : `Correct modelDevelopment.artifactBucket.name, or set artifactBucket.create: true and ` +
                          `run pulumi up.`,
                };
            }
            return unreadable(
                "s3:GetBucketPolicy",
                e,
                `Give ${dev.source} s3:GetBucketPolicy on the bucket (the deploying identity has it), then run again.`,
            );
        },
    );
    if (!("value" in out)) return { state: out.state };
    const doc = check.parse(out.value.Policy ?? "", false, "Run pulumi up to restore the bucket policy.");
    if (!doc) return { state: "unknown" };
    check.pass(`read, ${doc.Statement.length} statements`);
    return { state: "read", doc };
}

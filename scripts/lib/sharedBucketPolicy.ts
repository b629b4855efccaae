// What this stack adds to the artifact bucket's policy, which is shared: the research team's statements and
// other stacks' live in the same document. Offline, only this stack's statements are known.

import type { StackConfig } from "../../components/config";
import type { PolicyDocument } from "../../components/policies";

export interface SharedBucketPolicy {
    bucket: string;
    /** Sids of the statements this stack adds to the bucket policy (the ones it owns). */
    ownSids: string[];
    /** One line on the statements of others: invisible offline, and what a deploy does to them. */
    others: string;
}

// aws.s3.BucketPolicy sets the bucket's whole policy (PutBucketPolicy): whatever else the policy held is replaced.
const WHOLE_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

/**
 * The section for the plan, from the bucket policy document the program writes and the type of the resource
 * that writes it.
 */
export function sharedBucketPolicy(doc: PolicyDocument, writer: string, config: StackConfig): { section: SharedBucketPolicy; warnings: string[] } {
    const bucket = config.modelDevelopment.artifactBucket.name;
    const ownSids = doc.Statement.map((s, i) => s.Sid || `(statement ${i + 1} without Sid)`);
    const others = "Statements of others (the research team's, other stacks') are not visible offline";
    const wholePolicy = writer === WHOLE_POLICY;
    // Until the component owns only its statements, saying they are kept would be false: this resource writes
    // the whole document. The line turns into that promise once another resource writes the statements.
    const section: SharedBucketPolicy = {
        bucket,
        ownSids,
        others: wholePolicy
            ? `${others}; this version writes the whole policy (${WHOLE_POLICY}), so a deploy replaces them instead of keeping them.`
            : `${others} and are kept as they are.`,
    };
    const warnings: string[] = [];
    if (wholePolicy && !config.modelDevelopment.artifactBucket.create) {
        const profile = config.modelDevelopment.profile ? ` --profile ${config.modelDevelopment.profile}` : "";
        warnings.push(
            `WARNING: modelDevelopment.artifactBucket.create is false, so ${bucket} exists and its policy likely holds the research team's and other stacks' statements; ` +
                `this version replaces the whole policy with this stack's ${ownSids.length} statements. ` +
                `Check it first (aws s3api get-bucket-policy --bucket ${bucket}${profile}) and deploy only when nothing else is in it.`,
        );
    }
    return { section, warnings };
}

export function formatSharedBucketPolicy(s: SharedBucketPolicy): string[] {
    return [`Statements this stack adds to the bucket policy of ${s.bucket} (the Sids it owns)`, ...s.ownSids.map((sid) => `  + ${sid}`), `  ${s.others}`];
}

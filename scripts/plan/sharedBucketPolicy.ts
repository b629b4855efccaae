// What this stack adds to the artifact bucket's policy, which is shared: the research team's statements and
// other stacks' live in the same document. Offline, only this stack's statements are known.

import type { StackConfig } from "../../components/config/stackConfig";
import type { PolicyDocument } from "../../components/policies/document";

export interface SharedBucketPolicy {
    bucket: string;
    /** Sids of the statements this stack adds to the bucket policy (the ones it owns). */
    ownSids: string[];
    /** One line on the statements of others: invisible offline, and what a deploy does to them. */
    others: string;
}

/** The section for the plan, from this stack's part of the bucket policy (the statements its Sid prefix owns). */
export function sharedBucketPolicy(doc: PolicyDocument, config: StackConfig): SharedBucketPolicy {
    return {
        bucket: config.modelDevelopment.artifactBucket.name,
        ownSids: doc.Statement.map((s, i) => s.Sid || `(statement ${i + 1} without Sid)`),
        others:
            "Statements of others (the research team's, other stacks') are not visible offline and are kept as they " +
            "are.",
    };
}

export function formatSharedBucketPolicy(s: SharedBucketPolicy): string[] {
    return [
        `Statements this stack adds to the bucket policy of ${s.bucket} (the Sids it owns)`,
        ...s.ownSids.map((sid) => `  + ${sid}`),
        `  ${s.others}`,
    ];
}

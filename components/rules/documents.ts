// Size and character limits of the policy documents the program writes, counted the way AWS counts them.

import { POLICY_TEXT } from "./prefixes";

export type DocumentKind = "managedPolicy" | "trustPolicy" | "bucketPolicy" | "keyPolicy";

export interface DocumentLimit {
    limit: number;
    /** What is counted: IAM counts characters without white space; S3 and KMS count bytes. */
    unit: "characters (white space not counted)" | "bytes";
    what: string;
    source: string;
}

export const DOCUMENT_LIMITS: Readonly<Record<DocumentKind, DocumentLimit>> = {
    // "You can add up to 6,144 characters … IAM does not count white space when calculating the size."
    managedPolicy: {
        limit: 6144,
        unit: "characters (white space not counted)",
        what: "IAM managed policy",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    },
    // "Role trust policy length: 2,048 characters" by default (adjustable with Service Quotas).
    trustPolicy: {
        limit: 2048,
        unit: "characters (white space not counted)",
        what: "IAM role trust policy",
        source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    },
    bucketPolicy: {
        limit: 20 * 1024,
        unit: "bytes",
        what: "S3 bucket policy",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html",
    },
    keyPolicy: {
        limit: 32 * 1024,
        unit: "bytes",
        what: "KMS key policy",
        source: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
    },
};

/** The size AWS measures for a document, serialized as the program writes it (compact JSON). */
export function documentSize(kind: DocumentKind, doc: unknown): number {
    const text = typeof doc === "string" ? doc : JSON.stringify(doc);
    return DOCUMENT_LIMITS[kind].unit === "bytes" ? Buffer.byteLength(text, "utf8") : text.replace(/\s/g, "").length;
}

/** Problems with a document AWS would refuse: over its size limit, or characters outside IAM's set. */
export function documentProblems(kind: DocumentKind, doc: unknown, name: string): string[] {
    const { limit, unit, what, source } = DOCUMENT_LIMITS[kind];
    const text = typeof doc === "string" ? doc : JSON.stringify(doc);
    const problems: string[] = [];
    const size = documentSize(kind, text);
    if (size > limit) {
        problems.push(
            `${name} is ${size} ${unit}; the ${what} limit is ${limit} (${source}). Fewer or shorter model ` +
                `prefixes, principals or statements make it fit.`,
        );
    }
    if ((kind === "managedPolicy" || kind === "trustPolicy") && !POLICY_TEXT.test(text)) {
        problems.push(
            `${name} contains characters outside tab, LF, CR and U+0020-U+00FF, which IAM refuses ` +
                `(https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html).`,
        );
    }
    return problems;
}

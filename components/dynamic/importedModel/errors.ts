// Bedrock-specific readings of AWS SDK v3 errors and job failures. The generic classification (names,
// throttling, not-found, access denied) is in ../../awsSdk/errors, shared with the other provider.

import { errorMessage, errorName } from "../../awsSdk/errors";

export function isQuotaExceeded(err: unknown): boolean {
    return errorName(err) === "ServiceQuotaExceededException";
}

/** The IAM action named in an access-denied message ("… not authorized to perform: iam:PassRole on resource …"). */
export function deniedAction(message: string): string | undefined {
    return /perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message)?.[1];
}

/** A create refused because of the tags (too many, or characters Bedrock does not take). */
export function isAboutTags(err: unknown): boolean {
    return (
        errorName(err) === "TooManyTagsException" ||
        (errorName(err) === "ValidationException" && /\btags?\b/i.test(errorMessage(err)))
    );
}

/**
 * A freshly created (or freshly edited) execution role is not usable by Bedrock for some seconds:
 * CreateModelImportJob then answers a ValidationException about the role. Only that is retried (for a
 * bounded window); an AccessDeniedException is about the caller's own permissions and is final.
 */
export function isRolePropagation(err: unknown): boolean {
    return errorName(err) === "ValidationException" && /role|assume|trust/i.test(errorMessage(err));
}

/**
 * True for S3/KMS access failures reported in a job's failureMessage ("Amazon Bedrock doesn't have access to
 * the S3 location …", KMS denials). Other failures (unsupported architecture, bad files) mention s3:// too,
 * so the location alone does not count.
 */
export function isArtifactAccessFailure(failureMessage: string): boolean {
    return /\baccess\b|denied|permission|forbidden|not authori[sz]ed|\bkms\b/i.test(failureMessage);
}

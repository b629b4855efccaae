// The policy documents of the access contract (docs/access.md, its items 1 to 5), each the statements the grants
// (./grants.ts) write into it. They take resolved strings and return plain objects; callers serialize with
// JSON.stringify or pulumi.jsonStringify. No I/O, no Pulumi runtime: the plan script and the tests call them directly.

import type * as aws from "@pulumi/aws";
import { policyDocument, type OwnStatement, type PolicyDocument as Document } from "./document";
import { grantStatements } from "./grants";
import type { AccessParams } from "./params";

export { accessParams, bedrockViaService, bucketArn, modelObjectArns, type AccessParams } from "./params";
export { DEVELOPMENT_KEY_ACTIONS, IMPORTER_KEY_ACTIONS } from "./perms";
export { SIDS } from "./sids";

/** What every builder returns: a document whose statements all have a Sid. */
type PolicyDocument = Document<OwnStatement>;

// Compile-time proof that our plain documents are valid inputs wherever @pulumi/aws takes a policy.
const _assignable: (d: PolicyDocument) => aws.iam.PolicyDocument = (d) => d;
void _assignable;

/** Bucket policy of the artifact bucket (development account), docs/access.md, item 1. */
export function bucketPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("bucketPolicy", p));
}

/** Trust policy of the execution role (hosting account), docs/access.md, item 2. */
export function trustPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("trustPolicy", p));
}

/** Customer managed policy attached to the execution role (hosting account), docs/access.md, items 3 and 4. */
export function executionPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("executionPolicy", p));
}

/** Key policy of the development CMK that encrypts the artifacts, docs/access.md, item 4. */
export function developmentKeyPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("developmentKeyPolicy", p));
}

/** Key policy of the hosting CMK that encrypts imported models, docs/access.md, item 5. */
export function hostingKeyPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("hostingKeyPolicy", p));
}

/**
 * The identity policy the hosting deployer needs to run the imports (it calls CreateModelImportJob and tracks the job
 * and model). Bedrock has no resource policies, so this can only be granted on the deployer's side; `npm run plan`
 * prints it (README "The deploying identity"). The hosting-key statements are included only when the importer is not
 * known to the program: when it is, the key policy grants them directly and a second path would only widen what has to
 * be audited.
 */
export function importerIdentityPolicy(p: AccessParams): PolicyDocument {
    return policyDocument(grantStatements("importerIdentityPolicy", p));
}

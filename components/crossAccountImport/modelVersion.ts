// Versioned imported-model names: each config model's Bedrock name is its config name plus a short version derived
// from what defines the import, so new artifacts become a new imported model next to the old one (created first,
// then the pointer moves, then the old one is deleted) instead of a delete-first replacement of the same name.
// AWS's own advice for model versions is "descriptive S3 paths or dated job names"; this makes the name follow.

import { sha256Hex } from "../util/hash";
import { IMPORTED_MODEL_NAME_MAX } from "../rules";

/** Hex characters of the version suffix. */
const MODEL_VERSION_LENGTH = 6;
/** The longest config model name: Bedrock's 63 less "-" and the version. */
export const MAX_CONFIG_MODEL_NAME = IMPORTED_MODEL_NAME_MAX - 1 - MODEL_VERSION_LENGTH;

/** What defines an import: where the artifacts are, and which key encrypts the model. */
export interface ModelVersionIdentity {
    s3Uri: string;
    /**
     * "aws-owned", or the ARN of the stack's hosting key: a new key (replaced, or recreated after it was scheduled for
     * deletion) is a new name, so its re-import is created before the old model is deleted.
     */
    modelKey: string;
}

/** The model key Bedrock uses when the stack has no hosting key. */
export const AWS_OWNED_KEY = "aws-owned";

/**
 * What stood for the stack's hosting key in names before its ARN did. A model named with it keeps its name while its
 * key stays the same (the provider's diff, components/dynamic/importedModel/naming.ts); a new key renames it.
 */
export const LEGACY_STACK_KEY = "stack-hosting-key";

function modelVersion(identity: ModelVersionIdentity): string {
    return sha256Hex(JSON.stringify([identity.s3Uri, identity.modelKey])).slice(0, MODEL_VERSION_LENGTH);
}

/** `<config name>-<version>`, at most 63 characters for config names the validator accepts. */
export function versionedModelName(configName: string, identity: ModelVersionIdentity): string {
    return `${configName}-${modelVersion(identity)}`;
}

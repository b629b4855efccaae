// Pure naming helpers.

import { JOB_NAME_MAX, kmsKeyId } from "../../rules";
import { sha256Hex } from "../../util/hash";
import { ENTRY_TAG_KEY, LEGACY_STACK_KEY, OWNER_TAG_KEY, versionedModelName } from "../../naming";

// The tags are named with the stack's other names; the provider's modules read them here.
export { ENTRY_TAG_KEY, ENTRY_TAG_PLACEHOLDER, OWNER_TAG_KEY } from "../../naming";

const HASH_LENGTH = 10;

/** The inputs that define *what* is imported; a change to any of them is a different import. */
export interface ImportIdentity {
    accountId: string;
    region: string;
    modelName: string;
    s3Uri: string;
    kmsKeyArn?: string;
    /** `<project>/<stack>`: two stacks with the same settings get different jobs (and never share a model). */
    owner?: string;
}

/**
 * Whether a model's live owner tag names this deployment: the same owner, or the deployment-less form
 * `<project>/<stack>` of the same owner (`[<org>/]<project>/<stack>@<account>`, ownerOf in components/naming.ts). The
 * update that finds the deployment-less form rewrites the tag.
 */
export function sameOwner(live: string | undefined, owner: string | undefined): boolean {
    if (live === undefined || owner === undefined || live === owner) return live === owner;
    const older = /^(?:[^/@]+\/)?([^/@]+\/[^/@]+)@\d{12}$/.exec(owner);
    return older !== null && live === older[1];
}

/** Tags the provider sets itself: never the user's, never shown as theirs. */
export const PROVIDER_TAG_KEYS: readonly string[] = [OWNER_TAG_KEY, ENTRY_TAG_KEY];

/** Stable hash of the import-defining inputs (the user's KMS spelling: it is all we know before the job runs). */
function importHash(identity: ImportIdentity): string {
    const material = JSON.stringify([
        identity.accountId,
        identity.region,
        identity.modelName,
        identity.s3Uri,
        identity.kmsKeyArn ?? "",
        // Only when set, so an import whose inputs carry no owner (state entries without one) keeps its job name.
        ...(identity.owner ? [identity.owner] : []),
    ]);
    return sha256Hex(material).slice(0, HASH_LENGTH);
}

/**
 * Job-name prefix shared by every attempt of one import: `<model name>-<hash>`.
 * Job names allow no `_` (model names do), and must fit in 63 characters with the attempt suffix.
 */
export function jobNamePrefix(identity: ImportIdentity): string {
    const hash = importHash(identity);
    const room = JOB_NAME_MAX - HASH_LENGTH - 1 - 4; // "-<hash>" and "-<attempt up to 3 digits>"
    const base = identity.modelName.replace(/_/g, "-").slice(0, room);
    return `${base}-${hash}`;
}

/** Deterministic job name for one attempt (attempts start at 1). */
export function jobNameFor(identity: ImportIdentity, attempt: number): string {
    return `${jobNamePrefix(identity)}-${attempt}`;
}

/**
 * Idempotency token for CreateModelImportJob. The SDK does not fill it in for this operation;
 * deriving it from the job name makes a create retried after a lost response a no-op.
 */
export function clientRequestTokenFor(jobName: string): string {
    return sha256Hex(`bedrock-cmi-import:${jobName}`).slice(0, 40);
}

/** Attempt number of `jobName` if it belongs to this import's family, otherwise undefined. */
export function attemptOf(identity: ImportIdentity, jobName: string | undefined): number | undefined {
    if (!jobName) {
        return undefined;
    }
    const prefix = `${jobNamePrefix(identity)}-`;
    if (!jobName.startsWith(prefix)) {
        return undefined;
    }
    const rest = jobName.slice(prefix.length);
    return /^[1-9][0-9]{0,2}$/.test(rest) ? Number(rest) : undefined;
}

/**
 * True when `input` names the same key as the stored state, without calling KMS: the same
 * spelling as last time, the resolved key ARN itself, or the same key id in another form.
 * An alias that differs from the alias used last time cannot be proven equal and counts as a change.
 */
export function sameKmsKey(input: string | undefined, stored: { kmsKeyArn?: string; kmsKeyInput?: string }): boolean {
    const wanted = input || undefined;
    const before = stored.kmsKeyInput ?? stored.kmsKeyArn ?? undefined;
    if (wanted === undefined || before === undefined) {
        return wanted === before;
    }
    if (wanted === before || wanted === stored.kmsKeyArn) {
        return true;
    }
    const wantedId = kmsKeyId(wanted);
    return wantedId !== undefined && (wantedId === kmsKeyId(stored.kmsKeyArn) || wantedId === kmsKeyId(before));
}

/**
 * True when a model in state was named by an earlier naming rule and the inputs still import the same artifacts with
 * the same key under today's versioned name: it keeps its name (no re-import on upgrade). The legacy names kept: the
 * config name alone (unversioned), and a version whose key part is LEGACY_STACK_KEY for the stack's hosting key. The
 * caller has checked that the artifacts and the key are unchanged.
 */
export function keepsLegacyName(
    stateModelName: string,
    news: { modelName: string; baseName?: string; s3Uri: string; kmsKeyArn?: string },
): boolean {
    const base = news.baseName;
    if (base === undefined || news.modelName === base || !news.modelName.startsWith(`${base}-`)) {
        return false;
    }
    return (
        stateModelName === base ||
        (!!news.kmsKeyArn &&
            stateModelName === versionedModelName(base, { s3Uri: news.s3Uri, modelKey: LEGACY_STACK_KEY }))
    );
}

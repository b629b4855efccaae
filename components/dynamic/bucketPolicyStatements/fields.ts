// The inputs of `BucketPolicyStatements`, declared once: their types and docs (the interface) and what each one does
// (the table). The resource's arguments and output properties (../bucketPolicyStatements.ts), the provider's replace
// and update keys and what it stores (provider.ts) derive from here.

import type { AccountInputs } from "../../awsSdk/types";
import type { OwnStatement } from "../../policies/document";
import { keysWhere, type FieldTable, type OutputsOf } from "../fields";

/**
 * Inputs as the provider receives them (every `pulumi.Input` resolved). The account is the bucket owner's (the
 * development account): the credentials must belong to it or nothing is read or written. `region` is the bucket's
 * region, or any region of its partition.
 */
export interface BucketPolicyStatementsInputs extends AccountInputs {
    /** The shared bucket. Another bucket replaces the resource (its statements move to the other bucket). */
    bucket: string;
    /**
     * Letters and digits, unique per stack and component (use `sidPrefixFor`); every statement this resource owns has
     * a Sid starting with it, and no other statement does. Another prefix replaces the resource.
     */
    sidPrefix: string;
    /** This resource's statements, every Sid starting with `sidPrefix`. Changes apply in place. */
    statements: OwnStatement[];
    /**
     * The version of the loader stored in state (../version.ts), set by the resource; a new one is an in-place update
     * that stores the current loader.
     */
    providerVersion?: string;
}

/** What each input does; see ../fields.ts. */
const BUCKET_POLICY_STATEMENTS_INPUTS = {
    // These name the slot in the bucket policy: another value is another slot.
    accountId: { change: "replace" },
    bucket: { change: "replace" },
    sidPrefix: { change: "replace" },
    // Credentials and the loader's version: the same slot, written again in place.
    region: { change: "update" },
    profile: { change: "update" },
    assumeRoleArn: { change: "update" },
    providerVersion: { change: "update" },
    // Compared as IAM reads them, against the live ones (so drift seen by refresh is an update too).
    statements: { change: "own" },
} as const satisfies FieldTable<BucketPolicyStatementsInputs>;

/** What the provider stores in state: the inputs, with `statements` as they are live in the bucket policy. */
export interface BucketPolicyStatementsOutputs extends BucketPolicyStatementsInputs {
    /** This resource's statements as S3 returns them (may be reformatted); empty when someone removed them all. */
    statements: OwnStatement[];
}

/** Another value of these replaces the resource. */
export const REPLACE_KEYS = keysWhere(BUCKET_POLICY_STATEMENTS_INPUTS, (f) => f.change === "replace");
/** Another value of these is an in-place update. */
export const UPDATE_KEYS = keysWhere(BUCKET_POLICY_STATEMENTS_INPUTS, (f) => f.change === "update");
/** The inputs kept in state, as refresh and destroy read them back. */
export const STORED_INPUT_KEYS = keysWhere(BUCKET_POLICY_STATEMENTS_INPUTS, (f) => !("stored" in f));

/** The output properties of `BucketPolicyStatements`: every input as stored (`statements` as they are live). */
export type BucketPolicyStatementsOutputProperties = OutputsOf<
    BucketPolicyStatementsOutputs,
    keyof BucketPolicyStatementsInputs
>;

// Type-only module.

import type { AccountInputs, CommandSender } from "../../awsSdk/types";
import type { OwnStatement } from "../../policies/document";
export type { AccountInputs, CommandSender } from "../../awsSdk/types";

/**
 * Inputs as the provider receives them (every `pulumi.Input` resolved). The account is the bucket owner's (the
 * development account); `region` is the bucket's region, or any region of its partition.
 */
export interface BucketPolicyStatementsInputs extends AccountInputs {
    /** The bucket whose policy is shared. */
    bucket: string;
    /** Letters and digits; every statement this resource owns has a Sid starting with it, and no other statement does. */
    sidPrefix: string;
    /** This resource's statements, every Sid starting with `sidPrefix`. */
    statements: OwnStatement[];
    /** The version of the loader stored in state (../version.ts); a change is an in-place update that stores the current loader. */
    providerVersion?: string;
}

/** What the provider stores in state: the inputs, with `statements` as they are live in the bucket policy. */
export interface BucketPolicyStatementsOutputs extends BucketPolicyStatementsInputs {
    /** This resource's statements as S3 returns them (may be reformatted); empty when someone removed them all. */
    statements: OwnStatement[];
}

export interface BucketPolicyClients {
    s3: CommandSender;
    sts: CommandSender;
}

/** Injection points for tests; production uses real time, real randomness and real SDK clients. */
export interface BucketPolicyStatementsProviderDeps {
    sleep?: (ms: number) => Promise<void>;
    /** In [0, 1); de-correlates retries of stacks that write the same bucket policy at the same moment. */
    random?: () => number;
    clients?: (inputs: AccountInputs) => BucketPolicyClients;
    /** Milliseconds since the epoch; the lease's expiry is measured with it. */
    now?: () => number;
    /** Runs between each read of the policy and the write that follows (tests interleave two writers here). */
    beforePolicyWrite?: () => Promise<void>;
}

// Type-only module.

import type { AccountInputs, CommandSender } from "../../awsSdk/types";
export type { AccountInputs, CommandSender } from "../../awsSdk/types";
export type { BucketPolicyStatementsInputs, BucketPolicyStatementsOutputs } from "./fields";

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

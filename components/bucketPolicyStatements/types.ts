// Type-only module: erased at compile time, so nothing here reaches the serialized provider.

/** Any JSON value a policy document may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a statement, a condition block, a principal map). */
export type JsonObject = { [key: string]: JsonValue };

/**
 * One IAM policy statement as this resource manages it: a Sid is required, because the Sid prefix is how
 * the resource tells its own statements from everyone else's in the shared bucket policy.
 */
export interface IamStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal?: JsonValue;
    NotPrincipal?: JsonValue;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: { [operator: string]: { [key: string]: JsonValue } };
}

/** A bucket policy document as read from S3: only Statement is interpreted, every other key is kept as it was. */
export interface PolicyDocument {
    Version?: string;
    Id?: string;
    Statement: JsonObject[];
    [key: string]: JsonValue | undefined;
}

/**
 * Credentials of the account that owns the bucket (the development account); `region` is the bucket's region, or any
 * region of its partition.
 */
import type { AccountInputs, CommandSender } from "../awsAccount/types";
export type { AccountInputs, CommandSender } from "../awsAccount/types";

/** Inputs as the provider receives them (every `pulumi.Input` resolved). */
export interface BucketPolicyStatementsInputs extends AccountInputs {
    /** The bucket whose policy is shared. */
    bucket: string;
    /** Letters and digits; every statement this resource owns has a Sid starting with it, and no other statement does. */
    sidPrefix: string;
    /** This resource's statements, every Sid starting with `sidPrefix`. */
    statements: IamStatement[];
    /** Hash of the provider's code: a new value is an in-place update that stores the current code in state. */
    providerVersion?: string;
}

/** What the provider stores in state: the inputs, with `statements` as they are live in the bucket policy. */
export interface BucketPolicyStatementsOutputs extends BucketPolicyStatementsInputs {
    /** This resource's statements as S3 returns them (may be reformatted); empty when someone removed them all. */
    statements: IamStatement[];
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
}

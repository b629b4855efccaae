import * as pulumi from "@pulumi/pulumi";
import type { AccountArgs } from "../awsSdk/types";
import { createBucketPolicyStatementsProvider } from "./bucketPolicyStatements/provider";
import type { OwnStatement } from "../policies/document";
import { providerLoader } from "./loader";
import { BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE } from "./providerModules";
import { loaderVersion } from "./version";

export { createBucketPolicyStatementsProvider, MAX_APPLY_ATTEMPTS, type BucketPolicyStatementsProvider } from "./bucketPolicyStatements/provider";
export { prefixedStatements, resourceIdFor } from "./bucketPolicyStatements/naming";
export type { BucketPolicyStatementsInputs, BucketPolicyStatementsOutputs } from "./bucketPolicyStatements/types";

/** The provider with real time and real SDK clients; credentials come from the resource's own inputs. */
export const bucketPolicyStatementsProvider = createBucketPolicyStatementsProvider();

/** What the resource registers: a small loader of the provider's module (see loader.ts). */
export const bucketPolicyStatementsProviderLoader = providerLoader(BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE);

/** The loader's version, `providerVersion` (see version.ts): a new loader updates every resource in place once. */
export const BUCKET_POLICY_STATEMENTS_PROVIDER_VERSION = loaderVersion(BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE);

/** Arguments of `BucketPolicyStatements`. */
/** The account is the bucket owner's (region: the bucket's): the credentials must belong to it or nothing is read or written. */
export interface BucketPolicyStatementsArgs extends AccountArgs {
    /** The shared bucket. Changing it replaces the resource (its statements move to the other bucket). */
    bucket: pulumi.Input<string>;
    /** Letters and digits, unique per stack and component (use `sidPrefixFor`). Changing it replaces the resource. */
    sidPrefix: pulumi.Input<string>;
    /** This resource's statements; every Sid starts with `sidPrefix`. Changes apply in place. */
    statements: pulumi.Input<pulumi.Input<OwnStatement>[]>;
    /** The version of the loader stored in state (version.ts); set by the resource, override only in tests. */
    providerVersion?: pulumi.Input<string>;
}

/**
 * A stack's statements in a bucket policy that others share: `up` merges them into the live policy (everyone
 * else's statements stay exactly as they are), `refresh` shows them as they are live, `destroy` removes only them
 * (and deletes the policy only when nothing else is left). Shown as `pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements`.
 */
export class BucketPolicyStatements extends pulumi.dynamic.Resource {
    public readonly accountId!: pulumi.Output<string>;
    public readonly region!: pulumi.Output<string>;
    public readonly bucket!: pulumi.Output<string>;
    public readonly sidPrefix!: pulumi.Output<string>;
    /** This resource's statements as they are live in the bucket policy (as S3 formats them). */
    public readonly statements!: pulumi.Output<OwnStatement[]>;
    public readonly providerVersion!: pulumi.Output<string>;

    constructor(name: string, args: BucketPolicyStatementsArgs, opts?: pulumi.CustomResourceOptions) {
        if (opts?.provider !== undefined) {
            // A dynamic resource runs with its inputs' credentials; an aws.Provider here would silently not apply.
            throw new Error(
                `[${name}] BucketPolicyStatements does not take a "provider" option: pass the bucket owner's profile / assumeRoleArn as inputs instead.`,
            );
        }
        super(
            bucketPolicyStatementsProviderLoader,
            name,
            { ...args, providerVersion: args.providerVersion ?? BUCKET_POLICY_STATEMENTS_PROVIDER_VERSION },
            opts,
            "bedrock",
            "BucketPolicyStatements",
        );
    }
}

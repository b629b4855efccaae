import * as pulumi from "@pulumi/pulumi";
import { createBucketPolicyStatementsProvider } from "./bucketPolicyStatements/provider";
import { providerLoader } from "./loader";
import { BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE } from "./providerModules";
import { loaderVersion } from "./version";
import type { ArgsOf } from "./fields";
import type {
    BucketPolicyStatementsInputs,
    BucketPolicyStatementsOutputProperties,
} from "./bucketPolicyStatements/fields";

export {
    createBucketPolicyStatementsProvider,
    MAX_APPLY_ATTEMPTS,
    type BucketPolicyStatementsProvider,
} from "./bucketPolicyStatements/provider";
export { resourceIdFor } from "./bucketPolicyStatements/naming";
export type { BucketPolicyStatementsInputs, BucketPolicyStatementsOutputs } from "./bucketPolicyStatements/types";

/** The provider with real time and real SDK clients; credentials come from the resource's own inputs. */
export const bucketPolicyStatementsProvider = createBucketPolicyStatementsProvider();

/** What the resource registers: a small loader of the provider's module (see loader.ts). */
export const bucketPolicyStatementsProviderLoader = providerLoader(BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE);

/** The loader's version, `providerVersion` (see version.ts): a new loader updates every resource in place once. */
export const BUCKET_POLICY_STATEMENTS_PROVIDER_VERSION = loaderVersion(BUCKET_POLICY_STATEMENTS_PROVIDER_MODULE);

/**
 * The arguments of `BucketPolicyStatements` (bucketPolicyStatements/fields.ts); each may be an output of another
 * resource. @public (the constructor's argument type, for code that builds the resource)
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the members come from the field table
export interface BucketPolicyStatementsArgs extends ArgsOf<BucketPolicyStatementsInputs> {}

/** The resource's output properties, declared by the field table (bucketPolicyStatements/fields.ts). */
// Pulumi creates the output properties at run time: the interface only tells the compiler they are there.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface BucketPolicyStatements extends BucketPolicyStatementsOutputProperties {}

/**
 * A stack's statements in a bucket policy that others share: `up` merges them into the live policy (everyone else's
 * statements stay exactly as they are), `refresh` shows them as they are live, `destroy` removes only them (and deletes
 * the policy only when nothing else is left). Shown as `pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements`.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class BucketPolicyStatements extends pulumi.dynamic.Resource {
    constructor(name: string, args: BucketPolicyStatementsArgs, opts?: pulumi.CustomResourceOptions) {
        if (opts?.provider !== undefined) {
            // A dynamic resource runs with its inputs' credentials; an aws.Provider here would silently not apply.
            throw new Error(
                `[${name}] BucketPolicyStatements does not take a "provider" option: pass the bucket owner's ` +
                    `profile / assumeRoleArn as inputs instead.`,
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

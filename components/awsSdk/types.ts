// Type-only module.

import type * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "@pulumi/pulumi/dynamic";

/**
 * The one account shape: which AWS account to reach, and with which credentials. The stack config's two accounts, the
 * aws.Provider arguments, both dynamic providers' inputs (an explicit aws.Provider does not reach a dynamic provider)
 * and the scripts' SDK clients are all built from it.
 */
export interface AccountInputs {
    /** The account id (12 digits); the credentials must belong to it. */
    accountId: string;
    /** Region for the SDK clients. */
    region: string;
    /** AWS shared-config profile. */
    profile?: string;
    /** Role to assume in the account (on top of `profile` or the default chain). */
    assumeRoleArn?: string;
}

/** The account as resource arguments: each field may be an output of another resource. */
export type AccountArgs = { [K in keyof AccountInputs]: pulumi.Input<NonNullable<AccountInputs[K]>> };

/** The credentials part of an account. */
export type AccountCredentials = Pick<AccountInputs, "profile" | "assumeRoleArn">;

/** The part of an AWS SDK v3 client the providers use; real clients and test fakes both fit. */
export interface CommandSender {
    send(command: object): Promise<unknown>;
}

/**
 * A dynamic provider with every method present and results typed for its callers (tests, bench); both providers are
 * one.
 */
export interface CompleteProvider<Inputs, Outputs extends Inputs> extends dynamic.ResourceProvider<Inputs, Outputs> {
    /** Takes the stack's current config (the host calls it first); read and delete use its account credentials. */
    configure(req: dynamic.ConfigureRequest): Promise<void>;
    check(olds: Inputs, news: Inputs): Promise<dynamic.CheckResult<Inputs>>;
    diff(id: string, olds: Outputs, news: Inputs): Promise<dynamic.DiffResult>;
    create(inputs: Inputs): Promise<{ id: string; outs: Outputs }>;
    read(id: string, props?: Outputs): Promise<dynamic.ReadResult<Outputs>>;
    update(id: string, olds: Outputs, news: Inputs): Promise<{ outs: Outputs }>;
    delete(id: string, props: Outputs): Promise<void>;
}

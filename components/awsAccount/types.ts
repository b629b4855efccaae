// Type-only module: erased at compile time, so nothing here reaches a serialized provider.

/** Which AWS account to reach, and with which credentials (an explicit aws.Provider does not reach a dynamic provider). */
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

/** The part of an AWS SDK v3 client the providers use; real clients and test fakes both fit. */
export interface CommandSender {
    send(command: object): Promise<unknown>;
}

// Type-only module.

import type { SmokeTestSettings } from "./smokeTest";

import type { AccountInputs, CommandSender } from "../../awsSdk/types";

/** Inputs as the provider receives them (every `pulumi.Input` resolved). */
export interface ImportedModelInputs extends AccountInputs {
    /** Imported model name (1–63, `^([0-9a-zA-Z][_-]?)+$`, unique per account and region). */
    modelName: string;
    /** The config name the versioned `modelName` derives from; a model imported under it before versions existed keeps it. */
    baseName?: string;
    /** Execution role Bedrock assumes to read the artifacts. */
    roleArn: string;
    /** `s3://bucket/prefix/` holding the Hugging Face layout. */
    s3Uri: string;
    /** Hosting CMK for the imported model: key ARN, key id, alias name or alias ARN. */
    kmsKeyArn?: string;
    /** Tags on the imported model (applied in place, never re-imports). */
    tags?: Record<string, string>;
    /** Deadline for one `up`/`destroy` to wait for the import (default 360). */
    timeoutMinutes?: number;
    /** First wait; every later poll wait, retry and backoff scales from it (default 5, fractions allowed). */
    pollIntervalSeconds?: number;
    /** Stack name captured by the resource, used only in messages (ignored by diff). */
    stackName?: string;
    /** The model's stack config path (e.g. `models[1]`), so check's messages name config keys (ignored by diff). */
    configPath?: string;
    /** `<project>/<stack>` that owns the model: tagged bedrock-cmi:owner on job and model, part of the job-name hash. */
    owner?: string;
    /** The version of the loader stored in state (../version.ts); a change is an in-place update that stores the current loader. */
    providerVersion?: string;
    /** Invoke the model once after the import, before it goes live; absent = off. */
    smokeTest?: SmokeTestSettings;
    /**
     * Set by the provider, never by the program: the token of the state entry that holds the model (tag
     * bedrock-cmi:entry). Create draws a new one; update and delete use the one in state.
     */
    entryToken?: string;
}

export type ImportJobStatus = "InProgress" | "Completed" | "Failed";

/** What the provider stores in state: the inputs plus what the service reported. */
export interface ImportedModelOutputs extends ImportedModelInputs {
    /** Normalized to the key ARN the service reports once known (the user's spelling is in `kmsKeyInput`). */
    kmsKeyArn?: string;
    /** The `kmsKeyArn` input as the user wrote it (alias, id or ARN), for spelling-insensitive diffs. */
    kmsKeyInput?: string;
    jobName: string;
    jobArn?: string;
    /** Attempt number encoded in `jobName` (a new attempt follows a `Failed` job). */
    attempt: number;
    jobStatus: ImportJobStatus;
    modelArn?: string;
    modelArchitecture?: string;
    instructSupported?: boolean;
    /** ISO-8601 creation time of the imported model (of the job while it is pending). */
    creationTime?: string;
    /** When the smoke test first got an answer from this model (ISO); absent until it passed. */
    smokeTestPassedAt?: string;
    smokeTestSecondsToFirstAnswer?: number;
    smokeTestNotReadyRetries?: number;
    /** The first 200 characters of the smoke test's reply. */
    smokeTestReply?: string;
    /** Why the last smoke test failed (the model is kept; the next up repeats only the smoke test). */
    smokeTestFailure?: string;
}

export interface ImportedModelClients {
    bedrock: CommandSender;
    sts: CommandSender;
    /** bedrock-runtime, for the smoke test; without it a configured smoke test fails with a clear message. */
    runtime?: CommandSender;
    /** Service Quotas, for the imported-models quota; without it the default quota (3) is assumed. */
    quotas?: CommandSender;
}

/** Injection points for tests and the benchmark; production uses real time and real clients. */
export interface ImportedModelProviderDeps {
    /** Milliseconds since the epoch. */
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
    /** In [0, 1); only used to de-correlate throttling retries. */
    random?: () => number;
    clients?: (inputs: AccountInputs) => ImportedModelClients;
    /** A new state entry's token (default: a random UUID). */
    newEntryToken?: () => string;
    /** Where the lines about long waits go (default: the host's stdout, which the engine shows; see progress.ts). */
    progress?: (line: string) => void;
}

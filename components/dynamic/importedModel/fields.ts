// The inputs and outputs of `ImportedModel`, declared once: their types and docs (the two interfaces) and what each
// one does (the two tables). The resource's arguments and output properties (../importedModel.ts), the provider's
// replace and update keys (provider.ts) and the state mapping (state.ts) derive from here, and so does what the
// program passes (crossAccountImport/modelInputs.ts). A new input is one line in each of the first interface and table.

import type { AccountInputs } from "../../awsSdk/types";
import { keysWhere, type FieldTable, type KeysMarked, type OutputsOf, type ReportedOutputsOf } from "../fields";
import type { SmokeTestSettings } from "../../config/modelSettings";

/** Inputs as the provider receives them (every `pulumi.Input` resolved). The account is the hosting account. */
export interface ImportedModelInputs extends AccountInputs {
    /**
     * Imported model name (1–63, `^([0-9a-zA-Z][_-]?)+$`), unique per account and region. A new name replaces the
     * model.
     */
    modelName: string;
    /**
     * The config name the versioned `modelName` derives from; a model imported under it before versions existed keeps
     * it.
     */
    baseName?: string;
    /** Execution role Bedrock assumes to read the artifacts. A new role is stored only (the model exists). */
    roleArn: string;
    /** `s3://bucket/prefix/` holding the Hugging Face layout. A new location re-imports (replace). */
    s3Uri: string;
    /**
     * Hosting CMK for the imported model: key ARN, key id, alias name or alias ARN. A new key re-imports; respelling it
     * does not.
     */
    kmsKeyArn?: string;
    /** Tags on the imported model (and its import job), applied in place, never re-imports. */
    tags?: Record<string, string>;
    /**
     * Tags on the import job only, on top of `tags` and the owner tag, which the job carries too (e.g. a
     * cost-allocation tag for the import). Sent when the job starts (CreateModelImportJob `jobTags`,
     * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateModelImportJob.html); a change later is stored
     * only.
     */
    jobTags?: Record<string, string>;
    /** How long one `up`/`destroy` waits for the import (default 360); past it the next `up` resumes. */
    timeoutMinutes?: number;
    /**
     * First wait in seconds (default 5, fractions allowed); every later poll wait, retry and backoff scales from it.
     */
    pollIntervalSeconds?: number;
    /** The stack, only for the access-failure message (`npm run verify-access -- --stack <stack>`). */
    stackName?: string;
    /**
     * The model's stack config path (e.g. `models[1]`), so check's messages name config keys. Not stored: it follows
     * the config.
     */
    configPath?: string;
    /**
     * `<project>/<stack>` that owns the model: tagged bedrock-cmi:owner on job and model, part of the job-name hash.
     */
    owner?: string;
    /**
     * The version of the loader stored in state (../version.ts), set by the resource; a new one is an in-place update
     * that stores the current loader.
     */
    providerVersion?: string;
    /**
     * Invoke the model once after the import, before it goes live; absent = off. Secret (the prompt may be sensitive).
     */
    smokeTest?: SmokeTestSettings;
    /**
     * Set by the provider, never by the program: the token of the state entry that holds the model (tag
     * bedrock-cmi:entry). Create draws a new one; update and delete use the one in state.
     */
    entryToken?: string;
}

/** What each input does; see ../fields.ts. */
const IMPORTED_MODEL_INPUTS = {
    accountId: { change: "replace" },
    region: { change: "replace" },
    // Credentials: the same model, reached another way.
    profile: { change: "update" },
    assumeRoleArn: { change: "update" },
    modelName: { change: "replace" },
    // Read by diff only to keep a name from before versions (naming.keepsLegacyName).
    baseName: { change: "none" },
    roleArn: { change: "update" },
    s3Uri: { change: "replace" },
    // Compared by the key it names (naming.sameKmsKey): alias, key id and ARN of one key are the same key.
    kmsKeyArn: { change: "own" },
    // Compared as maps; an unknown value is a change.
    tags: { change: "own" },
    jobTags: { change: "update" },
    timeoutMinutes: { change: "update" },
    pollIntervalSeconds: { change: "update" },
    stackName: { change: "none" },
    configPath: { change: "none", stored: false },
    // A stack renamed, or state from before owners existed (the update adds the tag).
    owner: { change: "update" },
    // Only an update stores a new loader (../version.ts).
    providerVersion: { change: "update" },
    // A smoke test not passed yet is a change (update runs it).
    smokeTest: { change: "own", secret: true },
    entryToken: { change: "none", providerOnly: true },
} as const satisfies FieldTable<ImportedModelInputs>;

export type ImportJobStatus = "InProgress" | "Completed" | "Failed";

/** What the provider stores in state: the inputs (but `configPath`) plus what the service reported. */
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
    /** The imported model's ARN (the identifier for inference). */
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

/**
 * The outputs that are not inputs: `exposed` ones are properties of the resource, `secret` ones are encrypted in state.
 */
const IMPORTED_MODEL_OUTPUTS = {
    kmsKeyInput: {},
    jobName: { exposed: true },
    jobArn: { exposed: true },
    attempt: {},
    jobStatus: { exposed: true },
    modelArn: { exposed: true },
    modelArchitecture: { exposed: true },
    instructSupported: { exposed: true },
    creationTime: { exposed: true },
    smokeTestPassedAt: {},
    smokeTestSecondsToFirstAnswer: {},
    smokeTestNotReadyRetries: {},
    smokeTestReply: { secret: true },
    smokeTestFailure: {},
} as const satisfies {
    readonly [K in Exclude<keyof ImportedModelOutputs, keyof ImportedModelInputs>]-?: { exposed?: true; secret?: true };
};

type OutputKey = keyof typeof IMPORTED_MODEL_OUTPUTS;
const outputKeysWhere = (test: (o: { exposed?: true; secret?: true }) => boolean) =>
    (Object.keys(IMPORTED_MODEL_OUTPUTS) as OutputKey[]).filter((key) => test(IMPORTED_MODEL_OUTPUTS[key]));

/** Another value of these replaces the model (the import is defined by them). */
export const REPLACE_KEYS = keysWhere(IMPORTED_MODEL_INPUTS, (f) => f.change === "replace");
/** Another value of these is an in-place update. */
export const UPDATE_KEYS = keysWhere(IMPORTED_MODEL_INPUTS, (f) => f.change === "update");
/** The inputs kept in state, as refresh and destroy read them back. */
export const STORED_INPUT_KEYS = keysWhere(IMPORTED_MODEL_INPUTS, (f) => !("stored" in f));
/** The outputs that are properties of the resource (each registered as `undefined` until the provider reports it). */
export const EXPOSED_OUTPUT_KEYS = outputKeysWhere((o) => o.exposed === true);
/** Inputs encrypted in state: the smoke test's settings (the prompt may be sensitive). */
export const SECRET_INPUT_KEYS = keysWhere(IMPORTED_MODEL_INPUTS, (f) => "secret" in f);
/** Encrypted in state: the start of the smoke test's reply, and those inputs. */
export const SECRET_KEYS: readonly string[] = [...outputKeysWhere((o) => o.secret === true), ...SECRET_INPUT_KEYS];

type ProviderOnlyKey = KeysMarked<typeof IMPORTED_MODEL_INPUTS, { providerOnly: true }>;
type NotStoredKey = KeysMarked<typeof IMPORTED_MODEL_INPUTS, { stored: false }>;
type ExposedOutputKey = KeysMarked<typeof IMPORTED_MODEL_OUTPUTS, { exposed: true }>;

/** Every input the program sets, resolved. */
export type ImportedModelArgValues = Omit<ImportedModelInputs, ProviderOnlyKey>;

/**
 * The output properties of `ImportedModel`: the stored arguments, and the exposed outputs (reported once the model
 * exists).
 */
export type ImportedModelOutputProperties = OutputsOf<
    ImportedModelOutputs,
    Exclude<keyof ImportedModelArgValues, NotStoredKey>
> &
    ReportedOutputsOf<ImportedModelOutputs, ExposedOutputKey>;

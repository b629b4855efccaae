// Type-only module.

import type { AccountInputs, CommandSender } from "../../awsSdk/types";
export type { ImportedModelInputs, ImportedModelOutputs } from "./fields";

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

// Type-only module: what one provider operation carries (inputs, clients, clock, timing). Erased at compile time.

import type { ImportedModelClients, ImportedModelInputs } from "./types";
import type { Timing } from "./timing";
import type { ProgressSink } from "./progress";

export interface Context {
    inputs: ImportedModelInputs;
    clients: ImportedModelClients;
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    timing: Timing;
    /** Where wait progress goes (progress.ts). */
    progress: ProgressSink;
    /** The caller's ARN from sts:GetCallerIdentity, once known (named in access-denied messages). */
    callerArn?: string;
}

// Test helpers around the shared mock runner (scripts/lib/mockProgram.ts).

import { rawStackConfig, readStackConfigMap } from "../../scripts/lib/stackFile";

export * from "../../scripts/lib/mockProgram";

export type ContractConfig = { modelDevelopment: Record<string, unknown>; modelHosting: Record<string, unknown>; models: unknown[] };

/** The three contract keys of a shipped stack file, unqualified, as a fresh mutable copy. */
export function contractConfig(stack: string): ContractConfig {
    const { modelDevelopment, modelHosting, models } = rawStackConfig(readStackConfigMap(stack));
    return JSON.parse(JSON.stringify({ modelDevelopment, modelHosting, models })) as ContractConfig;
}

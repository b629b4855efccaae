// Test helpers around the shared mock runner (scripts/lib/mockProgram.ts).

import { CONFIG_NAMESPACE } from "../../components/config";
import { readStackConfigMap } from "../../scripts/lib/stackFile";

export * from "../../scripts/lib/mockProgram";

export type ContractConfig = { modelDevelopment: Record<string, unknown>; modelHosting: Record<string, unknown>; models: unknown[] };

/** The three contract keys of a shipped stack file, unqualified, as a fresh mutable copy. */
export function contractConfig(stack: string): ContractConfig {
    const c = readStackConfigMap(stack);
    return JSON.parse(
        JSON.stringify({
            modelDevelopment: c[`${CONFIG_NAMESPACE}:modelDevelopment`],
            modelHosting: c[`${CONFIG_NAMESPACE}:modelHosting`],
            models: c[`${CONFIG_NAMESPACE}:models`],
        }),
    ) as ContractConfig;
}

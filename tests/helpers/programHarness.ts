// Test helpers around the shared mock runner (scripts/common/mockProgram.ts).

import * as path from "path";
import { rawStackConfig, readStackConfigMap } from "../../scripts/common/stackFile";

export * from "../../scripts/common/mockProgram";

export type ContractConfig = { modelDevelopment: Record<string, unknown>; modelHosting: Record<string, unknown>; models: unknown[] };

/**
 * Single-stack fixtures (tests/fixtures/Pulumi.<name>.yaml): the "dev" fixture owns its bucket, the "prod" fixture
 * has keys on both sides. The shipped stacks (repository root) share one research bucket; tests/sharedResearchAccount
 * covers those.
 */
export const FIXTURES_ROOT = path.resolve(__dirname, "..", "fixtures");

/** The three contract keys of a fixture stack file, unqualified, as a fresh mutable copy. */
export function contractConfig(stack: string): ContractConfig {
    const { modelDevelopment, modelHosting, models } = rawStackConfig(readStackConfigMap(stack, FIXTURES_ROOT));
    return JSON.parse(JSON.stringify({ modelDevelopment, modelHosting, models })) as ContractConfig;
}

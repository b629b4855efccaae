// Test helpers around the shared mock runner (scripts/common/mockProgram.ts).

import * as path from "path";
import { rawStackConfig, readStackConfigMap } from "../../scripts/common/stackFile";

export * from "../../scripts/common/mockProgram";

export type ContractConfig = {
    modelDevelopment: Record<string, unknown>;
    modelHosting: Record<string, unknown>;
    models: unknown[];
};

/**
 * Single-stack fixtures (tests/fixtures/Pulumi.<name>.yaml): the "dev" fixture owns its bucket, the "prod" fixture
 * has keys on both sides. The shipped example stacks share one research bucket; tests/sharedResearchAccount covers
 * those, from their copies in EXAMPLES_ROOT.
 */
export const FIXTURES_ROOT = path.resolve(__dirname, "..", "fixtures");

/**
 * Copies of the shipped example stacks (the root Pulumi.dev.yaml and Pulumi.prod.yaml as shipped), with a Pulumi.yaml:
 * tests read these, never the root files, which are the user's to edit (tests/tools/fixturesOnly.test.ts checks it).
 */
export const EXAMPLES_ROOT = path.join(FIXTURES_ROOT, "examples");

/** The three contract keys of a fixture stack file, unqualified, as a fresh mutable copy. */
export function contractConfig(stack: string): ContractConfig {
    const { modelDevelopment, modelHosting, models } = rawStackConfig(readStackConfigMap(stack, FIXTURES_ROOT));
    return JSON.parse(JSON.stringify({ modelDevelopment, modelHosting, models })) as ContractConfig;
}

// Model names follow the stack's hosting key (issue 18, build item 6): the versioned name carries the key's ARN, so a
// new key (replaced, or recreated after someone scheduled the old one for deletion) is a new name, and the engine
// re-imports new-first instead of deleting every serving model first. Checked on what the program registers, under
// mocks.

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { versionedModelName } from "../../components/naming";
import { importJobPrefix } from "../../components/dynamic/importSweeper";
import type { ImportedModelInputs } from "../../components/dynamic/importedModel";
import { contractConfig, runProgram, type ProgramRun } from "../helpers/programHarness";

const MODEL_TYPE = "pulumi-nodejs:dynamic/bedrock:ImportedModel";
const SWEEPER_TYPE = "pulumi-nodejs:dynamic/bedrock:ImportSweeper";
const NEW_KEY_ARN = "arn:aws:kms:us-east-1:777788889999:key/0f0f0f0f-2222-3333-4444-555566667777";

type Mocks = { newResource(a: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } };

/** The mocked KMS answers with another ARN for the stack's hosting key: a key created anew. */
function hostingKeyArnIs(arn: string): () => void {
    return () => {
        const mocks = (pulumi.runtime.getMonitor() as unknown as { mocks: Mocks }).mocks;
        const previous = mocks.newResource.bind(mocks);
        mocks.newResource = (a) => {
            const result = previous(a);
            return a.type === "aws:kms/key:Key" && a.name.endsWith("-imported-models-key")
                ? { ...result, state: { ...result.state, arn } }
                : result;
        };
    };
}

function models(run: ProgramRun): ImportedModelInputs[] {
    return run.resources.filter((r) => r.type === MODEL_TYPE).map((r) => r.inputs as unknown as ImportedModelInputs);
}

describe("model names follow the stack's hosting key", function () {
    this.timeout(60000);
    let original: ProgramRun;
    let rekeyed: ProgramRun;
    before(async () => {
        original = await runProgram(contractConfig("prod"));
        rekeyed = await runProgram(contractConfig("prod"), "test", hostingKeyArnIs(NEW_KEY_ARN));
        for (const run of [original, rekeyed]) expect(run.error).to.equal(undefined);
    });

    it("each name is versioned by the artifacts and the key's ARN", () => {
        for (const run of [original, rekeyed]) {
            const keyArn = run.outputs.hostingKeyArn as string;
            expect(keyArn).to.match(/^arn:aws:kms:/);
            expect(models(run)).to.have.length.greaterThan(0);
            for (const m of models(run)) {
                expect(m.kmsKeyArn, m.baseName).to.equal(keyArn);
                expect(m.modelName, m.baseName).to.equal(
                    versionedModelName(m.baseName!, { s3Uri: m.s3Uri, modelKey: keyArn }),
                );
            }
        }
        expect(rekeyed.outputs.hostingKeyArn).to.equal(NEW_KEY_ARN);
    });

    it(
        "a new key is a new name for every model (same config names, same artifacts): the re-import is created " +
            "before the old model goes",
        () => {
            const [was, now] = [models(original), models(rekeyed)];
            expect(now.map((m) => m.baseName)).to.deep.equal(was.map((m) => m.baseName));
            expect(now.map((m) => m.s3Uri)).to.deep.equal(was.map((m) => m.s3Uri));
            now.forEach((m, i) => expect(m.modelName, m.baseName).not.to.equal(was[i].modelName));
        },
    );

    it("the import sweeper records the job-name prefixes of exactly what the models register, under either key", () => {
        for (const run of [original, rekeyed]) {
            const [sweeper] = run.resources.filter((r) => r.type === SWEEPER_TYPE);
            expect(sweeper.inputs.jobPrefixes).to.deep.equal(models(run).map(importJobPrefix));
        }
        expect(rekeyed.resources.find((r) => r.type === SWEEPER_TYPE)!.inputs.jobPrefixes).not.to.deep.equal(
            original.resources.find((r) => r.type === SWEEPER_TYPE)!.inputs.jobPrefixes,
        );
    });
});

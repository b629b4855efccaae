// What a dynamic resource stores as its provider (`__provider`), on the real engine. State holds a small loader that
// loads the checkout's provider code at every operation (components/dynamic/loader.ts), and `providerVersion` is the
// version of that loader (components/dynamic/version.ts). These scenarios show the engine facts the design rests on:
// a step without changes keeps the stored `__provider` (so only an update can replace an old one), and a stack whose
// state holds an older provider is updated in place once and is quiet afterwards.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    EngineStack,
    findPulumi,
    IMPORTED_MODEL_TYPE,
    Moto,
    resourcesOfType,
    STATEMENTS_TYPE,
    type StackState,
    ok,
} from "./harness";

const SWEEPER_TYPE = "pulumi-nodejs:dynamic/bedrock:ImportSweeper";
const DYNAMIC_TYPES = [IMPORTED_MODEL_TYPE, STATEMENTS_TYPE, SWEEPER_TYPE];
const WRITES = ["CreateModelImportJob", "DeleteImportedModel", "TagResource", "UntagResource"];
/**
 * Appended to a stored `__provider`: still valid JavaScript (the engine may run it), recognizably not the current one.
 */
const OLD_MARK = "\n// stored by an earlier version of this program\n";
/** A version the current loader never has: what the source-graph hash of an earlier program left in state. */
const OLD_VERSION = "0123456789abcdef";

function dynamicResources(state: StackState) {
    return DYNAMIC_TYPES.flatMap((type) => resourcesOfType(state, type));
}

/**
 * Rewrites every dynamic resource's stored provider (and, when given, its version) the way older programs left them.
 */
async function ageState(stack: EngineStack, age: { providerVersion?: string }): Promise<void> {
    const state = await stack.exportState();
    for (const r of dynamicResources(state)) {
        for (const props of [r.inputs!, r.outputs!]) {
            props.__provider = `${String(props.__provider)}${OLD_MARK}`;
            if (age.providerVersion !== undefined) props.providerVersion = age.providerVersion;
        }
    }
    const file = path.join(stack.root, "aged-state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    ok(await stack.cli(["stack", "import", "--file", file]), "pulumi stack import");
}

describe("the real Pulumi engine: the provider stored in state", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let pulumiBin: string;
    let stack: EngineStack;

    before(async () => {
        pulumiBin = findPulumi();
        await moto.start();
    });
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new EngineStack(moto, pulumiBin);
        await stack.start();
        ok(await stack.up(), "first up");
    });
    afterEach(async function () {
        if (this.currentTest?.state === "failed")
            console.error(`stub log: ${stack.bedrock.log.map((e) => e.op).join(", ")}`);
        await stack.stop();
    });

    it(
        "a step without changes keeps the stored __provider: up and refresh leave an old one in place (only an " +
            "update replaces it)",
        async () => {
            await ageState(stack, {});
            ok(await stack.up("--expect-no-changes"), "up with the same providerVersion");
            ok(await stack.refresh("--expect-no-changes"), "refresh");
            const state = await stack.exportState();
            expect(dynamicResources(state)).to.have.length(3);
            for (const r of dynamicResources(state)) {
                expect(String(r.outputs?.__provider), `${r.urn}: outputs keep the stored provider`).to.contain(
                    OLD_MARK,
                );
            }
        },
    );

    it(
        "state from an older program (another providerVersion, an older __provider): one in-place update stores the " +
            "loader, then quiet",
        async () => {
            const current = new Map(
                dynamicResources(await stack.exportState()).map((r) => [r.urn, r.inputs?.__provider]),
            );
            await ageState(stack, { providerVersion: OLD_VERSION });
            stack.bedrock.resetCounters();

            const preview = ok(await stack.preview(), "preview of the older state");
            for (const type of DYNAMIC_TYPES)
                expect(preview.stdout, type).to.match(new RegExp(`~\\s+${type.replace(/[/]/g, "\\/")}`));
            expect(preview.stdout).to.not.match(/\+-\s+pulumi-nodejs:dynamic/);

            const up = ok(await stack.up(), "up of the older state");
            expect(up.stdout).to.match(/3 updated/);
            expect(up.stdout).to.not.match(/\+-\s+pulumi-nodejs:dynamic/);
            expect(
                stack.bedrock.log.filter((e) => WRITES.includes(e.op)).map((e) => e.op),
                "nothing re-imported or re-tagged",
            ).to.deep.equal([]);
            const state = await stack.exportState();
            for (const r of dynamicResources(state)) {
                expect(r.outputs?.__provider, `${r.urn}: outputs hold the current loader`).to.equal(current.get(r.urn));
                expect(r.outputs?.providerVersion, r.urn).to.be.a("string").and.not.equal(OLD_VERSION);
            }

            ok(await stack.preview("--expect-no-changes"), "preview after the update");
            ok(await stack.up("--expect-no-changes"), "up after the update");
            ok(await stack.refresh("--expect-no-changes"), "refresh after the update");
            expect(stack.bedrock.jobsCreated, "no import since the first up").to.equal(0);
        },
    );
});

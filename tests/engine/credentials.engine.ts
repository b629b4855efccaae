// Credentials move (issue 18, finding 4): the profile of both accounts is renamed in the AWS config and in the stack
// config. The dynamic providers read and delete existing resources with the stack's current credentials (the host
// hands them the stack config through `configure`), not with the profile stored in state, which is gone.
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    BUCKET,
    DEV_ACCOUNT,
    EngineStack,
    findPulumi,
    HOSTING_ACCOUNT,
    IMPORTED_MODEL_TYPE,
    Moto,
    resourcesOfType,
    STATEMENTS_TYPE,
    type StackState,
    ok,
} from "./harness";

/**
 * `<root>/aws-config` (both AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE) with these profiles only: each assumes
 * the deployer role of its account (moto answers in that account) from the suite's keys.
 */
function writeProfiles(stack: EngineStack, profiles: Record<string, string>): void {
    const sections = Object.entries(profiles).map(
        ([name, account]) =>
            `[profile ${name}]\nrole_arn = arn:aws:iam::${account}:role/deployer\nsource_profile = engine-keys\n`,
    );
    sections.push("[engine-keys]\naws_access_key_id = AKIDENGINESUITE\naws_secret_access_key = engine-suite-secret\n");
    fs.writeFileSync(path.join(stack.root, "aws-config"), sections.join("\n"));
}

/** Replaces the stack's checkpoint (`pulumi stack import`). */
async function importState(stack: EngineStack, state: StackState): Promise<void> {
    const file = path.join(stack.root, "state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    ok(await stack.cli(["stack", "import", "--file", file]), "stack import");
}

/** The stack's own statements in the shared bucket policy. */
async function ownSids(stack: EngineStack): Promise<string[]> {
    const policy = await stack.bucketPolicy();
    const statements = policy ? (JSON.parse(policy) as { Statement: { Sid?: string }[] }).Statement : [];
    return statements.map((s) => s.Sid ?? "").filter((sid) => sid.startsWith("BedrockCmi"));
}

/** Deploys two models with the profiles `old` (hosting) and `dev-old` (development), then renames both profiles. */
async function deployThenRenameProfiles(stack: EngineStack): Promise<void> {
    writeProfiles(stack, { old: HOSTING_ACCOUNT, "dev-old": DEV_ACCOUNT });
    stack.profiles = { hosting: "old", development: "dev-old" };
    stack.models = [
        { name: "mistral-01", s3Prefix: "mistral-model-weights/" },
        { name: "llama-01", s3Prefix: "llama-model-weights/" },
    ];
    ok(await stack.up(), "up with the old profiles");
    expect(stack.bedrock.models.size).to.equal(2);
    expect(await ownSids(stack)).to.not.deep.equal([]);

    // The old profiles are gone from the AWS config; the stack config names the new ones.
    writeProfiles(stack, { new: HOSTING_ACCOUNT, "dev-new": DEV_ACCOUNT });
    stack.profiles = { hosting: "new", development: "dev-new" };
}

describe("the real Pulumi engine: a credentials move (profiles renamed) leaves nothing stuck", function () {
    this.timeout(300_000);
    const moto = new Moto();
    let stack: EngineStack;

    before(async () => moto.start());
    after(() => moto.stop());
    beforeEach(async () => {
        stack = new EngineStack(moto, findPulumi());
        await stack.start();
    });
    afterEach(async function () {
        if (this.currentTest?.state === "failed")
            console.error(`stub log: ${stack.bedrock.log.map((e) => e.op).join(", ")}`);
        await stack.stop();
    });

    it(
        "profiles renamed and a model removed in the same up: it is deleted; refresh and destroy pass and leave no " +
            "model",
        async () => {
            await deployThenRenameProfiles(stack);
            stack.models = [stack.models[0]];
            ok(await stack.up(), "up with the new profiles and one model less");
            expect([...stack.bedrock.models.values()].map((m) => m.s3Uri)).to.deep.equal([
                `s3://${BUCKET}/mistral-model-weights/`,
            ]);
            expect(stack.bedrock.calls.DeleteImportedModel).to.equal(1);

            ok(await stack.refresh("--expect-no-changes"), "refresh");

            // What refresh and destroy (no program) configure the providers with: the default pulumi-nodejs provider's
            // stored inputs, which the up just set to the whole current stack config.
            const state = await stack.exportState();
            const [nodejs] = resourcesOfType(state, "pulumi:providers:pulumi-nodejs");
            expect(JSON.parse(String(nodejs.inputs?.["bedrock-cross-account-import:modelHosting"]))).to.include({
                profile: "new",
            });
            // Every resource's state back to the old profiles, as state written before the move would hold them: refresh
            // and destroy still pass, so they reached the accounts with the configured profiles, not the stored ones.
            for (const r of [
                ...resourcesOfType(state, IMPORTED_MODEL_TYPE),
                ...resourcesOfType(state, STATEMENTS_TYPE),
            ]) {
                const profile = r.type === IMPORTED_MODEL_TYPE ? "old" : "dev-old";
                for (const props of [r.inputs, r.outputs]) if (props) props.profile = profile;
            }
            await importState(stack, state);
            ok(await stack.refresh(), "refresh of the state with the old profiles");
            ok(await stack.destroy(), "destroy");
            expect(stack.bedrock.models.size).to.equal(0);
            expect(await ownSids(stack)).to.deep.equal([]);
        },
    );

    it(
        "profiles renamed, no up between: plain refresh fails saying what to do; with --run-program refresh and " +
            "destroy pass",
        async () => {
            await deployThenRenameProfiles(stack);
            // Without the program, the engine configures the providers of refresh and destroy with the stack config the
            // last `up` recorded in the default provider's state (the old profiles); --run-program gives them the current
            // one.
            const plain = await stack.refresh();
            expect(plain.code, plain.output).to.not.equal(0);
            expect(plain.output).to.match(/profile "(dev-)?old"/);
            expect(plain.output).to.contain("--run-program");
            ok(await stack.run(["refresh", "--yes", "--skip-preview", "--run-program"]), "refresh --run-program");
            ok(await stack.run(["destroy", "--yes", "--skip-preview", "--run-program"]), "destroy --run-program");
            expect(stack.bedrock.models.size).to.equal(0);
            expect(await ownSids(stack)).to.deep.equal([]);
        },
    );
});

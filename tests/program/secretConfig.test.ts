// Secret config values stay secret (issue 18, item 8): a value set with `pulumi config set --secret [--path]` reaches
// no resource input and no stack output in plain text. The engine names the secret keys (whole top-level keys); the
// program narrows a key to the stack file's secure: leaves, and marks secret every input and output that carries one.
// The engine scenario tests/engine/secretConfig.engine.ts shows the ciphertext in state.

import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify as stringifyYaml } from "yaml";
import { CONFIG_NAMESPACE } from "../../components/config/stackConfig";
import {
    contractConfig,
    runProgram,
    type ContractConfig,
    type ProgramRun,
    type RecordedResource,
} from "../helpers/programHarness";

const SECRET_TAG = "team-confidential-7f3a";
const SECRET_ROLE = "arn:aws:iam::777788889999:role/deployer-secret-9q2c";
const SECURE = { secure: "v1:c2VjcmV0" };

/** The prod fixture (keys on both sides) with a secret tag value and a secret hosting role. */
function secretConfig(): ContractConfig {
    const config = contractConfig("prod");
    (config.models[0] as { tags: Record<string, string> }).tags.team = SECRET_TAG;
    config.modelHosting.assumeRoleArn = SECRET_ROLE;
    return config;
}

/**
 * A project folder whose Pulumi.test.yaml holds `config` with the leaves that `secure` marks as secure: values; in
 * `stackConfigDir` when given (Pulumi.yaml's setting), else beside Pulumi.yaml.
 */
function projectWith(config: ContractConfig, secure: (file: ContractConfig) => void, stackConfigDir?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-config-"));
    const file = JSON.parse(JSON.stringify(config)) as ContractConfig;
    secure(file);
    fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        stringifyYaml({ name: CONFIG_NAMESPACE, runtime: "nodejs", ...(stackConfigDir ? { stackConfigDir } : {}) }),
    );
    const qualified = Object.fromEntries(Object.entries(file).map(([k, v]) => [`${CONFIG_NAMESPACE}:${k}`, v]));
    fs.mkdirSync(path.join(dir, stackConfigDir ?? ""), { recursive: true });
    fs.writeFileSync(path.join(dir, stackConfigDir ?? "", "Pulumi.test.yaml"), stringifyYaml({ config: qualified }));
    return dir;
}

/** Where `needle` appears in plain text (outside a secret) in `value`, as paths. */
function plainAt(value: unknown, needle: string, at = ""): string[] {
    if (typeof value === "string") return value.includes(needle) ? [at] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => plainAt(v, needle, `${at}[${i}]`));
    if (typeof value === "object" && value !== null) {
        const obj = value as Record<string, unknown>;
        // Pulumi's wire form of a secret.
        if (obj[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return [];
        return Object.entries(obj).flatMap(([k, v]) => [
            ...(k.includes(needle) ? [`${at}.${k} (key)`] : []),
            ...plainAt(v, needle, `${at}.${k}`),
        ]);
    }
    return [];
}

/** Every resource input that holds `needle` in plain text, as `name.input…`. */
function plainInputs(run: ProgramRun, needle: string): string[] {
    return run.resources.flatMap((r) => plainAt(r.inputs, needle).map((p) => `${r.name}${p}`));
}

function resource(run: ProgramRun, type: string, name?: string): RecordedResource {
    const found = run.resources.find((r) => r.type === type && (name === undefined || r.name === name));
    expect(found, `${type} ${name ?? ""}`).to.not.equal(undefined);
    return found!;
}

const MODEL = "pulumi-nodejs:dynamic/bedrock:ImportedModel";

describe("secret config values stay secret (mocks)", function () {
    this.timeout(60000);
    const dirs: string[] = [];
    after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("--secret --path leaves: every input and output that carries one is secret, the other inputs stay plain", async () => {
        const config = secretConfig();
        const dir = projectWith(config, (file) => {
            (file.models[0] as { tags: Record<string, unknown> }).tags.team = SECURE;
            file.modelHosting.assumeRoleArn = SECURE;
        });
        dirs.push(dir);
        // The engine names the whole keys secret, as it does for `--secret --path`.
        const run = await runProgram(config, "test", undefined, { keys: ["models", "modelHosting"], projectDir: dir });
        expect(run.error).to.equal(undefined);

        expect(plainInputs(run, SECRET_TAG), "inputs holding the secret tag in plain text").to.deep.equal([]);
        expect(plainInputs(run, SECRET_ROLE), "inputs holding the secret role in plain text").to.deep.equal([]);
        const model = resource(run, MODEL);
        expect(model.secretInputs).to.include.members(["tags", "assumeRoleArn"]);
        const hosting = resource(run, "pulumi:providers:aws", "model-hosting");
        expect(hosting.secretInputs).to.include("assumeRoles");

        // Narrowed to the secure: leaves: the model's name and artifacts, the account and region are not secrets.
        expect(
            model.secretInputs.filter((k) => ["modelName", "s3Uri", "accountId", "region"].includes(k)),
        ).to.deep.equal([]);
        expect(resource(run, "pulumi:providers:aws", "model-development").secretInputs).to.deep.equal([]);
        expect(resource(run, "aws:iam/role:Role").secretInputs).to.deep.equal([]);

        // The outputs: each model's invoke example assumes the secret role.
        expect(JSON.stringify(run.outputs.models)).to.include(SECRET_ROLE);
        expect(run.secretOutputs).to.include("models");
        expect(
            run.secretOutputs.filter((k) => ["hostingAccountId", "bucketName", "executionRoleArn"].includes(k)),
        ).to.deep.equal([]);
    });

    it("the stack file in Pulumi.yaml's stackConfigDir narrows the same way", async () => {
        const config = secretConfig();
        const dir = projectWith(
            config,
            (file) => ((file.models[0] as { tags: Record<string, unknown> }).tags.team = SECURE),
            "stacks",
        );
        dirs.push(dir);
        const run = await runProgram(config, "test", undefined, { keys: ["models"], projectDir: dir });
        expect(run.error).to.equal(undefined);
        expect(plainInputs(run, SECRET_TAG)).to.deep.equal([]);
        const model = resource(run, MODEL);
        expect(model.secretInputs).to.include("tags");
        expect(model.secretInputs.filter((k) => ["modelName", "s3Uri"].includes(k))).to.deep.equal([]);
    });

    it("no stack file to narrow with: every leaf of a secret key is secret (over-marked, never under-marked)", async () => {
        // Without a project folder the program cannot tell which leaf of `models` was set with --secret.
        const run = await runProgram(secretConfig(), "test", undefined, { keys: ["models"] });
        expect(run.error).to.equal(undefined);
        expect(plainInputs(run, SECRET_TAG)).to.deep.equal([]);
        expect(resource(run, MODEL).secretInputs).to.include.members(["tags", "modelName", "s3Uri"]);
        expect(run.secretOutputs).to.include.members(["models", "modelsByName"]);
        // modelHosting is not secret: its values stay plain where no model value is in them.
        expect(plainInputs(run, SECRET_ROLE)).to.not.deep.equal([]);
    });

    it("a key set --secret without --path (a whole secure: value) is secret in every leaf", async () => {
        const config = secretConfig();
        const dir = projectWith(config, (file) => {
            (file as unknown as Record<string, unknown>).modelHosting = SECURE;
        });
        dirs.push(dir);
        const run = await runProgram(config, "test", undefined, { keys: ["modelHosting"], projectDir: dir });
        expect(run.error).to.equal(undefined);
        expect(plainInputs(run, SECRET_ROLE)).to.deep.equal([]);
        expect(plainInputs(run, "777788889999"), "the hosting account id").to.deep.equal([]);
        expect(run.secretOutputs).to.include.members([
            "hostingAccountId",
            "hostingRegion",
            "executionRoleArn",
            "executionRoleName",
        ]);
    });
});

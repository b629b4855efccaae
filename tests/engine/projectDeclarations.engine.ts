// Pulumi.yaml declares the program's three config keys with types (issue: a user's first week, defaults). The Pulumi
// CLI checks stack config against those declarations before it starts the language host, so this runs the real CLI
// on a copy of the repository's Pulumi.yaml and a copy of the shipped dev stack: with the config right, the CLI gets
// past its config check (and then stops, as no Node.js language host is installed here); with a key missing or of the
// wrong type it refuses, naming the key. The same holds for the forms the CLI itself writes (secure: leaves) and for a
// project-wide `value:` beside the declaration.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { findPulumi, localBackendEnv } from "./harness";

const REPO = path.resolve(__dirname, "..", "..");
const NS = "bedrock-cross-account-import";
const PAST_CONFIG = /no language plugin 'pulumi-language-nodejs'/;

describe("the real Pulumi CLI: Pulumi.yaml's typed config declarations", function () {
    this.timeout(120_000);
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const pulumi = (...args: string[]) => {
        const r = spawnSync(findPulumi(), args, { cwd: dir, env, encoding: "utf8" });
        return { status: r.status, output: `${r.stdout}${r.stderr}` };
    };
    const stackFile = () => path.join(dir, "Pulumi.dev.yaml");
    const editConfig = (edit: (config: Record<string, unknown>) => void) => {
        const doc = parse(fs.readFileSync(stackFile(), "utf8")) as { config: Record<string, unknown> };
        edit(doc.config);
        fs.writeFileSync(stackFile(), stringify(doc));
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bedrock-cmi-decl-"));
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.copyFileSync(path.join(REPO, "tests", "fixtures", "examples", "Pulumi.dev.yaml"), stackFile());
        for (const sub of ["state", "home"]) fs.mkdirSync(path.join(dir, sub));
        env = { ...process.env, ...localBackendEnv(dir) };
        const init = pulumi("stack", "init", "dev", "--non-interactive");
        expect(init.status, init.output).to.equal(0);
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("declares modelDevelopment and modelHosting as objects and models as a list of objects, each described", () => {
        const project = parse(fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8")) as {
            config: Record<string, { type: string; description: string; items?: { type: string } }>;
        };
        expect(Object.keys(project.config)).to.have.members(["modelDevelopment", "modelHosting", "models"]);
        expect(project.config.modelDevelopment.type).to.equal("object");
        expect(project.config.modelHosting.type).to.equal("object");
        expect(project.config.models)
            .to.include({ type: "array" })
            .and.to.have.deep.property("items", { type: "object" });
        for (const declaration of Object.values(project.config)) expect(declaration.description).to.match(/\S{3}/);
    });

    it("the shipped dev stack passes the CLI's config check", () => {
        const preview = pulumi("preview", "--stack", "dev", "--non-interactive");
        expect(preview.output)
            .to.match(PAST_CONFIG)
            .and.not.match(/validating stack config/);
    });

    it("a stack without models fails before the program runs, naming the key", () => {
        editConfig((config) => delete config[`${NS}:models`]);
        const preview = pulumi("preview", "--stack", "dev", "--non-interactive");
        expect(preview.status).to.not.equal(0);
        expect(preview.output).to.include("Stack 'dev' is missing configuration value 'models'");
    });

    it("modelHosting written as a string is refused by type, naming the key", () => {
        editConfig((config) => (config[`${NS}:modelHosting`] = "777788889999"));
        const preview = pulumi("preview", "--stack", "dev", "--non-interactive");
        expect(preview.status).to.not.equal(0);
        expect(preview.output)
            .to.match(/modelHosting/)
            .and.match(/validating stack config/);
        expect(preview.output).to.not.match(PAST_CONFIG);
    });

    it(
        "a leaf set with config set --secret --path, and models given in Pulumi.yaml as project config, pass the " +
            "check",
        () => {
            const set = pulumi(
                "config",
                "set",
                "--stack",
                "dev",
                "--secret",
                "--path",
                `${NS}:modelHosting.assumeRoleArn`,
                "arn:aws:iam::777788889999:role/deployer",
            );
            expect(set.status, set.output).to.equal(0);
            expect(fs.readFileSync(stackFile(), "utf8")).to.match(/assumeRoleArn:\s*\n\s*secure:/);
            let models: unknown;
            editConfig((config) => {
                models = config[`${NS}:models`];
                delete config[`${NS}:models`];
            });
            const projectFile = path.join(dir, "Pulumi.yaml");
            const project = parse(fs.readFileSync(projectFile, "utf8")) as {
                config: Record<string, Record<string, unknown>>;
            };
            project.config.models.value = models;
            fs.writeFileSync(projectFile, stringify(project));
            const preview = pulumi("preview", "--stack", "dev", "--non-interactive");
            expect(preview.output)
                .to.match(PAST_CONFIG)
                .and.not.match(/validating stack config|missing configuration/);
        },
    );
});

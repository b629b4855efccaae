// The engine suite's world: the real Pulumi CLI with a local file backend in a temp folder, moto for S3 and STS, the
// project's Bedrock and bedrock-runtime stubs as servers on 127.0.0.1, and a copy of the program's checkout (so a
// scenario can change the provider's code without touching the repo). Nothing leaves the machine.
import { expect } from "chai";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { S3Client, CreateBucketCommand, GetBucketPolicyCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { parse, stringify } from "yaml";
import { BedrockStub } from "../fakes/bedrockStub";
import { RuntimeStub } from "../fakes/runtimeStub";

const REPO = path.resolve(__dirname, "..", "..");
const PROGRAM_DIR = path.join("tests", "engine", "program");
export const DEV_ACCOUNT = "111122223333";
export const HOSTING_ACCOUNT = "777788889999";
export const BUCKET = `model-artifacts-${DEV_ACCOUNT}`;
const PROJECT = "bedrock-cross-account-import";

/** The version of @pulumi/pulumi the lockfile pins: the CLI must be the same. */
function pinnedVersion(): string {
    const lock = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
        packages: Record<string, { version: string }>;
    };
    return `v${lock.packages["node_modules/@pulumi/pulumi"].version}`;
}

/**
 * The CLI's settings for a run against a file backend in `root` (state/ and home/ in it): no Pulumi Cloud, no update
 * check.
 */
export function localBackendEnv(root: string): NodeJS.ProcessEnv {
    return {
        PULUMI_HOME: path.join(root, "home", ".pulumi"),
        PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "engine-suite",
        PULUMI_SKIP_UPDATE_CHECK: "true",
    };
}

/** The CLI on PATH when its version is the pinned one, else the one `npm run build:engine` built. */
export function findPulumi(): string {
    const want = pinnedVersion();
    const candidates = [
        ...(process.env.PATH ?? "").split(path.delimiter).map((dir) => path.join(dir, "pulumi")),
        path.join(REPO, ".engine", "bin", "pulumi"),
    ];
    for (const candidate of candidates) {
        if (!fs.existsSync(candidate)) continue;
        try {
            if (
                execFileSync(candidate, ["version"], {
                    encoding: "utf8",
                    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
                }).trim() === want
            ) {
                return candidate;
            }
        } catch {
            // Not runnable: try the next one.
        }
    }
    throw new Error(`no Pulumi CLI ${want} on PATH or in .engine/bin: run "npm run build:engine" first.`);
}

/** Polls `condition` every 100 ms until it holds, failing after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

async function freePort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

/** moto_server on a free loopback port; each account is reached by assuming a role in it. */
export class Moto {
    url = "";
    private child?: ChildProcess;

    async start(): Promise<void> {
        const port = await freePort();
        this.url = `http://127.0.0.1:${port}`;
        // Without MOTO_ACCOUNT_ID, moto answers each request in the account of the role its credentials assumed.
        const env = { ...process.env };
        delete env.MOTO_ACCOUNT_ID;
        // moto_server through a wrapper (motoTls/moto_server): moto ignores policy conditions, so the stacks'
        // deny-without-TLS statement would refuse the bucket-policy lease's object calls, which real S3 (TLS) allows.
        this.child = spawn(path.join(__dirname, "motoTls", "moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
            stdio: "ignore",
            env,
        });
        const deadline = Date.now() + 60_000;
        while (Date.now() < deadline) {
            try {
                if ((await fetch(`${this.url}/moto-api/`)).ok) return;
            } catch {
                // Not listening yet.
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        throw new Error("moto_server did not start within 60 s (is moto installed? pip install 'moto[server]')");
    }

    async reset(): Promise<void> {
        await fetch(`${this.url}/moto-api/reset`, { method: "POST" });
    }

    stop(): void {
        this.child?.kill("SIGKILL");
    }
}

/** Fails the scenario with the CLI's output unless the command exited 0. */
export function ok(result: CliResult, what: string): CliResult {
    expect(result.code, `${what} failed:\n${result.output}`).to.equal(0);
    return result;
}

export interface CliResult {
    code: number | null;
    stdout: string;
    stderr: string;
    /** stdout and stderr together, for assertions on what the user sees. */
    output: string;
}

export interface ModelSpec {
    name: string;
    s3Prefix: string;
    tags?: Record<string, string>;
    smokeTest?: Record<string, unknown>;
}

/** One stack of the test program in a fresh copy of the checkout, with its own stubs and state. */
export class EngineStack {
    readonly root: string;
    readonly programDir: string;
    readonly bedrock: BedrockStub;
    readonly runtime: RuntimeStub;
    models: ModelSpec[] = [{ name: "mistral-01", s3Prefix: "mistral-model-weights/", tags: { team: "hosting" } }];
    timeoutMinutes = 1;
    private researchS3?: S3Client;
    /** The CLI process of the latest command (a scenario interrupts it). */
    lastCli?: ChildProcess;
    /** Extra config, merged over the models' (for bad-input scenarios). */
    rawConfig: Record<string, unknown> = {};
    /** A named profile (of `<root>/aws-config`) per account, used instead of the env keys plus `assumeRoleArn`. */
    profiles: { development?: string; hosting?: string } = {};

    constructor(
        private readonly moto: Moto,
        private readonly pulumiBin: string,
        public stack = "enginetest",
        /** Two stacks of one name in other hosting accounts are two deployments (ownership scenarios). */
        readonly hostingAccount = HOSTING_ACCOUNT,
    ) {
        this.bedrock = new BedrockStub({ accountId: hostingAccount });
        this.runtime = new RuntimeStub(this.bedrock);
        this.root = fs.mkdtempSync(path.join(os.tmpdir(), "bedrock-cmi-engine-"));
        this.programDir = path.join(this.root, PROGRAM_DIR);
        fs.cpSync(path.join(REPO, "components"), path.join(this.root, "components"), { recursive: true });
        fs.cpSync(path.join(REPO, PROGRAM_DIR), this.programDir, { recursive: true });
        for (const file of ["package.json", "tsconfig.json"])
            fs.copyFileSync(path.join(REPO, file), path.join(this.root, file));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(this.root, "node_modules"), "dir");
        fs.writeFileSync(
            path.join(this.programDir, "Pulumi.yaml"),
            stringify({ name: PROJECT, runtime: { name: "nodejs", options: { typescript: true } } }),
        );
        fs.mkdirSync(path.join(this.root, "state"));
        fs.mkdirSync(path.join(this.root, "home"));
        fs.writeFileSync(path.join(this.root, "aws-config"), "");
    }

    /** After `pulumi stack rename`: the selected stack, and so its settings file, have the new name. */
    renamed(stack: string): this {
        this.stack = stack;
        return this;
    }

    /** `shared`: another stack of the scenario started moto's world already (its bucket included); keep it. */
    async start(opts: { shared?: boolean } = {}): Promise<void> {
        await this.bedrock.start();
        await this.runtime.start();
        if (!opts.shared) {
            await this.moto.reset();
            await this.s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
        }
        const out = await this.cli(["stack", "init", this.stack]);
        if (out.code !== 0) throw new Error(`pulumi stack init failed:\n${out.output}`);
    }

    async stop(): Promise<void> {
        this.researchS3?.destroy();
        await this.runtime.stop();
        await this.bedrock.stop();
        fs.rmSync(this.root, { recursive: true, force: true });
    }

    /** The environment of every CLI run: offline, no ambient AWS config, endpoints on loopback. */
    env(): NodeJS.ProcessEnv {
        return {
            PATH: [
                path.dirname(this.pulumiBin),
                path.join(REPO, "node_modules", "@pulumi", "pulumi"),
                path.dirname(process.execPath),
                process.env.PATH ?? "",
            ].join(path.delimiter),
            HOME: path.join(this.root, "home"),
            ...localBackendEnv(this.root),
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_CONFIRMATIONS: "true",
            NO_COLOR: "1",
            AWS_ACCESS_KEY_ID: "AKIDENGINESUITE",
            AWS_SECRET_ACCESS_KEY: "engine-suite-secret",
            AWS_REGION: "us-east-1",
            AWS_CONFIG_FILE: path.join(this.root, "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE: path.join(this.root, "aws-config"),
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_ENDPOINT_URL_S3: this.moto.url,
            AWS_ENDPOINT_URL_STS: this.moto.url,
            AWS_ENDPOINT_URL_BEDROCK: this.bedrock.url,
            AWS_ENDPOINT_URL_SERVICE_QUOTAS: this.bedrock.url,
            AWS_ENDPOINT_URL_BEDROCK_RUNTIME: this.runtime.url,
        };
    }

    /** Writes Pulumi.<stack>.yaml in the contract's shape from `models` and `rawConfig`. */
    writeConfig(): void {
        const ns = (key: string) => `${PROJECT}:${key}`;
        const credentials = (account: string, profile: string | undefined) =>
            profile ? { profile } : { assumeRoleArn: `arn:aws:iam::${account}:role/deployer` };
        const config: Record<string, unknown> = {
            [ns("modelDevelopment")]: {
                accountId: DEV_ACCOUNT,
                region: "us-east-1",
                ...credentials(DEV_ACCOUNT, this.profiles.development),
                artifactBucket: { name: BUCKET, create: false },
                kms: { enabled: false },
            },
            [ns("modelHosting")]: {
                accountId: this.hostingAccount,
                region: "us-east-1",
                ...credentials(this.hostingAccount, this.profiles.hosting),
                executionRoleName: `BedrockCMIExecutionRole-${this.hostingAccount}`,
                kms: { enabled: false },
            },
            [ns("models")]: this.models,
            "engine-test:timeoutMinutes": this.timeoutMinutes,
            ...this.rawConfig,
        };
        fs.writeFileSync(path.join(this.programDir, `Pulumi.${this.stack}.yaml`), stringify({ config }));
    }

    /** Runs the CLI in the program's folder; `client` attaches a language host for commands that run the program. */
    cli(args: string[], opts: { client?: string; fromElsewhere?: boolean } = {}): Promise<CliResult> {
        const full = [...args, "--non-interactive", ...(opts.client ? [`--client=${opts.client}`] : [])];
        // `pulumi -C <program>` from another folder: the engine still starts the provider host in the program's folder.
        if (opts.fromElsewhere) full.unshift("--cwd", this.programDir);
        return new Promise((resolve) => {
            // Its own process group, as a terminal's foreground job: Ctrl-C reaches the CLI and every plugin it
            // started.
            const child = spawn(this.pulumiBin, full, {
                cwd: opts.fromElsewhere ? os.tmpdir() : this.programDir,
                env: this.env(),
                detached: true,
            });
            this.lastCli = child;
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
            child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
            child.on("close", (code) => resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` }));
        });
    }

    /** A command that runs the program (preview, up): starts the language host for it, then the CLI. */
    async run(args: string[]): Promise<CliResult> {
        this.writeConfig();
        const host = spawn(
            process.execPath,
            [
                "-r",
                path.join(REPO, "scripts", "common", "tsRegister.cjs"),
                path.join(REPO, "tests", "engine", "languageHost.ts"),
                "index.ts",
            ],
            {
                cwd: this.programDir,
                env: this.env(),
                stdio: ["ignore", "pipe", "pipe"],
            },
        );
        let hostErr = "";
        host.stderr.on("data", (c: Buffer) => (hostErr += c.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            host.stdout.once("data", (c: Buffer) => resolve(c.toString().trim()));
            host.once("exit", (code) => reject(new Error(`language host exited (${code}): ${hostErr}`)));
        });
        try {
            const result = await this.cli(args, { client: `127.0.0.1:${port}` });
            return { ...result, output: `${result.output}\n${hostErr}` };
        } finally {
            host.kill("SIGKILL");
        }
    }

    /**
     * Starts `up`, waits until its import job is being polled, then stops the CLI as a user would: Ctrl-C, then a kill.
     */
    async killUpWhileWaiting(): Promise<void> {
        const interrupted = this.up();
        await until(
            () => this.bedrock.jobsCreated === 1 && this.bedrock.calls.GetModelImportJob > 2,
            120_000,
            "the import job to be waited on",
        );
        const cli = this.lastCli!;
        // Ctrl-C reaches the whole foreground process group; the user then gives up waiting and kills it.
        process.kill(-cli.pid!, "SIGINT");
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        try {
            process.kill(-cli.pid!, "SIGKILL");
        } catch {
            // Already gone after the interrupt.
        }
        await interrupted;
    }

    /**
     * The processes still running for this stack after its CLI is gone: those whose working folder or command line is
     * under the stack's temp root (the provider hosts run in the program's folder). Linux only (/proc), as the suite.
     */
    processesLeft(): string[] {
        const left: string[] = [];
        for (const pid of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)) {
            try {
                const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
                let cwd = "";
                try {
                    cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
                } catch {
                    // Another user's process, or gone meanwhile: its command line still tells.
                }
                if (cwd.startsWith(this.root) || cmdline.includes(this.root))
                    left.push(`${pid}: ${cmdline} (in ${cwd})`);
            } catch {
                // Exited while we looked.
            }
        }
        return left;
    }

    /** Waits up to `ms` for every process of this stack to exit; returns those still running then. */
    async processesLeftAfter(ms: number): Promise<string[]> {
        try {
            await until(() => this.processesLeft().length === 0, ms, "the stack's processes to exit");
        } catch {
            // Reported by the caller, with the processes.
        }
        return this.processesLeft();
    }

    up(...extra: string[]): Promise<CliResult> {
        return this.run(["up", "--yes", "--skip-preview", ...extra]);
    }

    preview(...extra: string[]): Promise<CliResult> {
        return this.run(["preview", ...extra]);
    }

    refresh(...extra: string[]): Promise<CliResult> {
        return this.cli(["refresh", "--yes", "--skip-preview", ...extra]);
    }

    destroy(opts: { fromElsewhere?: boolean } = {}): Promise<CliResult> {
        return this.cli(["destroy", "--yes", "--skip-preview"], opts);
    }

    /** The stack's checkpoint, as `pulumi stack export` prints it. */
    async exportState(): Promise<StackState> {
        const out = await this.cli(["stack", "export"]);
        if (out.code !== 0) throw new Error(`pulumi stack export failed:\n${out.output}`);
        return JSON.parse(out.stdout) as StackState;
    }

    /** The research team's S3 client in the development account (one AssumeRole for the whole scenario). */
    s3(): S3Client {
        this.researchS3 ??= new S3Client({
            region: "us-east-1",
            endpoint: this.moto.url,
            forcePathStyle: true,
            credentials: fromTemporaryCredentials({
                params: { RoleArn: `arn:aws:iam::${DEV_ACCOUNT}:role/research`, RoleSessionName: "research" },
                clientConfig: {
                    region: "us-east-1",
                    endpoint: this.moto.url,
                    credentials: { accessKeyId: "AKIDRESEARCH", secretAccessKey: "x" },
                },
            }),
        });
        return this.researchS3;
    }

    async bucketPolicy(): Promise<string | undefined> {
        try {
            return (await this.s3().send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy;
        } catch (err) {
            if ((err as { name?: string }).name === "NoSuchBucketPolicy") return undefined;
            throw err;
        }
    }

    async putBucketPolicy(document: object): Promise<void> {
        await this.s3().send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(document) }));
    }
}

/**
 * A stack whose file the CLI writes after the first write (`pulumi config set --secret` stores secure: values): set
 * `frozen` once the CLI has written it, and later runs keep the file as the CLI left it.
 */
export class CliWrittenStack extends EngineStack {
    frozen = false;

    override writeConfig(): void {
        if (this.frozen) return;
        const file = path.join(this.programDir, `Pulumi.${this.stack}.yaml`);
        // `pulumi stack init` wrote the passphrase's salt; the harness's file must keep it for secrets.
        const salt = (parse(fs.readFileSync(file, "utf8")) as { encryptionsalt?: string } | null)?.encryptionsalt;
        super.writeConfig();
        const doc = parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
        fs.writeFileSync(file, stringify({ ...(salt ? { encryptionsalt: salt } : {}), ...doc }));
    }
}

export interface StateResource {
    urn: string;
    type: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
}

export interface StackState {
    deployment: { resources?: StateResource[]; pending_operations?: { type: string; resource: StateResource }[] };
}

export function resourcesOfType(state: StackState, type: string): StateResource[] {
    return (state.deployment.resources ?? []).filter((r) => r.type === type);
}

export const IMPORTED_MODEL_TYPE = "pulumi-nodejs:dynamic/bedrock:ImportedModel";
export const STATEMENTS_TYPE = "pulumi-nodejs:dynamic/bedrock:BucketPolicyStatements";

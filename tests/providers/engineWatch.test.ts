// The provider host's check that its engine is still there (engineWatch.ts): which process is the host, what counts as
// "engine gone" (a refused connection at its address, or a new parent), and that the host stops once, probing at most
// once per interval. The engine suite shows it end to end (suite.engine.ts, "up killed …": no process is left).
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as net from "net";
import {
    engineWatch,
    hostEngineAddress,
    HOST_ENGINE,
    nothingListens,
} from "../../components/dynamic/importedModel/engineWatch";

async function listening(): Promise<{ address: string; close: () => Promise<void> }> {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("engineWatch: a provider host whose engine is gone stops", () => {
    it(
        "recognizes Pulumi's Node dynamic-provider host by its script and takes the engine's address from its " +
            "argument",
        () => {
            const script = "/app/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
            expect(hostEngineAddress(["/usr/bin/node", script, "127.0.0.1:36281"])).to.equal("127.0.0.1:36281");
            expect(
                hostEngineAddress([
                    "node",
                    "C:\\app\\node_modules\\@pulumi\\pulumi\\cmd\\dynamic-provider",
                    "[::1]:5000",
                ]),
            ).to.equal("[::1]:5000");
            expect(hostEngineAddress(["node", script])).to.equal(undefined);
            expect(hostEngineAddress(["node", "/app/node_modules/mocha/bin/mocha.js", "127.0.0.1:1"])).to.equal(
                undefined,
            );
            // This process (mocha) is not a host: its waits stay as they were.
            expect(HOST_ENGINE).to.equal(undefined);
        },
    );

    it("nothing listens: false while a server listens at the address, true once it closed", async () => {
        const server = await listening();
        expect(await nothingListens(server.address)).to.equal(false);
        await server.close();
        expect(await nothingListens(server.address)).to.equal(true);
    });

    it("calls onGone once when the engine's address refuses connections, and probes at most once per interval", async () => {
        const server = await listening();
        let clock = 0;
        let probes = 0;
        const gone: string[] = [];
        const watch = engineWatch({
            address: server.address,
            ppid: () => 42,
            now: () => clock,
            onGone: (reason) => gone.push(reason),
            probe: (a) => (probes++, nothingListens(a)),
            intervalMs: 1_000,
        });
        await watch.check();
        expect([probes, gone.length]).to.deep.equal([1, 0]);
        await server.close();
        clock = 500;
        await watch.check();
        expect(probes, "within the interval: no probe").to.equal(1);
        clock = 1_000;
        await watch.check();
        expect(probes).to.equal(2);
        expect(gone).to.have.length(1);
        expect(gone[0]).to.include(`nothing listens at the engine's address ${server.address}`);
        clock = 5_000;
        await watch.check();
        expect([probes, gone.length], "stopped once, no probe after").to.deep.equal([2, 1]);
    });

    it("calls onGone when the parent process changed (it died and the process was adopted), without probing", async () => {
        let parent = 4242;
        let probes = 0;
        const gone: string[] = [];
        const watch = engineWatch({
            address: "127.0.0.1:1",
            ppid: () => parent,
            now: () => 0,
            onGone: (reason) => gone.push(reason),
            probe: async () => (probes++, false),
        });
        await watch.check();
        expect(gone).to.deep.equal([]);
        parent = 1;
        await watch.check();
        expect(gone).to.deep.equal(["its parent process 4242 exited"]);
        expect(probes).to.equal(1);
    });
});

describe("engineWatch: an idle provider host whose engine is gone stops", function () {
    this.timeout(30_000);

    it(
        "a process that looks like the host (its script and the engine's address), kept alive by its own server and " +
            "making no call, exits once nothing listens at the address",
        async () => {
            const engine = await listening();
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bedrock-cmi-host-"));
            // The host's script path is what marks Pulumi's dynamic-provider host (hostEngineAddress).
            const script = path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
            fs.mkdirSync(path.dirname(script), { recursive: true });
            const watch = path.resolve(
                __dirname,
                "..",
                "..",
                "components",
                "dynamic",
                "importedModel",
                "engineWatch.ts",
            );
            // Like the host's gRPC server, a listening server keeps the process alive; nothing else runs.
            fs.writeFileSync(
                script,
                `require(${JSON.stringify(watch)}); require("net").createServer().listen(0, "127.0.0.1");\n`,
            );
            const register = path.resolve(__dirname, "..", "..", "scripts", "common", "tsRegister.cjs");
            const host = spawn(process.execPath, ["-r", register, script, engine.address], {
                stdio: ["ignore", "ignore", "pipe"],
            });
            let stderr = "";
            host.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            const exited = new Promise<number | null>((resolve) => host.once("exit", (code) => resolve(code)));
            try {
                // Started, and alive while the engine listens.
                const early = await Promise.race([
                    exited,
                    new Promise<"alive">((resolve) => setTimeout(() => resolve("alive"), 1_500)),
                ]);
                expect(early, stderr).to.equal("alive");
                await engine.close();
                const code = await Promise.race([
                    exited,
                    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), 12_000)),
                ]);
                expect(code, stderr).to.equal(1);
                expect(stderr).to.include("the Pulumi CLI that started this provider host is gone");
            } finally {
                host.kill("SIGKILL");
                fs.rmSync(dir, { recursive: true, force: true });
            }
        },
    );
});

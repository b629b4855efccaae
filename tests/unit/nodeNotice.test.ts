// The AWS SDK's Node-version notice is printed once per `npm test`, by mocha's main process
// (tests/helpers/nodeNotice.ts), not once per worker: the workers, and what they start, inherit the SDK's switch and
// stay silent.
import { expect } from "chai";
import { spawnSync } from "child_process";

const SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

/** A plain Node process that constructs an SDK client (which is what emits the notice), with the given environment. */
function clientProcessStderr(env: NodeJS.ProcessEnv): string {
    const script =
        `const { STSClient } = require(${JSON.stringify(require.resolve("@aws-sdk/client-sts"))}); new STSClient({ ` +
        `region: "us-east-1" }).destroy();`;
    return spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8" }).stderr;
}

describe("the AWS SDK's Node-version notice: once per test run", () => {
    it("this worker inherited the SDK's switch from mocha's main process", () => {
        expect(process.env[SWITCH]).to.equal("true");
    });

    it(
        "a process started with this environment constructs a client silently; without the switch it would print the " +
            "notice",
        function () {
            expect(clientProcessStderr(process.env)).not.to.include("NodeVersionSupportWarning");
            // The other half shows the check can fail: it holds only where the SDK still warns (Node < 22).
            if (Number(process.versions.node.split(".")[0]) >= 22) this.skip();
            const env = { ...process.env };
            delete env[SWITCH];
            expect(clientProcessStderr(env)).to.include("NodeVersionSupportWarning");
        },
    );
});

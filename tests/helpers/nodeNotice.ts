// The AWS SDK's notice on Node < 22 (NodeVersionSupportWarning) is emitted once per process, by the first client's
// construction (@aws-sdk/core's emitWarningIfUnsupportedVersion), and mocha runs the tests in several processes: it was
// printed once per worker. Mocha loads this file in its main process before it starts the workers: the notice is
// printed there, once, then the SDK's own switch (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED, read by that
// function) is set for the workers and every process they start, which inherit it. Other warnings are untouched.
import { STSClient } from "@aws-sdk/client-sts";

const SWITCH = "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED";

if (process.env[SWITCH] === undefined) {
    // No request is made: constructing a client is what emits the notice (nothing on Node >= 22).
    new STSClient({ region: "us-east-1" }).destroy();
    process.env[SWITCH] = "true";
}

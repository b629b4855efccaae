// A local AWS stub with shared-config profiles in a temporary folder, the environment pointed at both, for tests that
// run verify-access end to end. `start` in beforeEach, `stop` in afterEach.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsStub, credentialsFile, setEnv } from "../fakes/awsStub";

export interface StubSession {
    stub: AwsStub;
    stop(): Promise<void>;
}

/**
 * `profiles`: profile name -> access key id the stub knows (see deployStack: AKIADEVELOPMENT00001,
 * AKIAHOSTING000000001).
 */
export async function startStubSession(profiles: Record<string, string>): Promise<StubSession> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "stub-session-"));
    fs.writeFileSync(path.join(tmp, "credentials"), credentialsFile(profiles));
    fs.writeFileSync(path.join(tmp, "config"), "");
    const stub = new AwsStub();
    const url = await stub.start();
    const restore = setEnv({
        AWS_ENDPOINT_URL_S3: url,
        AWS_ENDPOINT_URL_STS: url,
        AWS_ENDPOINT_URL_IAM: url,
        AWS_ENDPOINT_URL_KMS: url,
        AWS_ENDPOINT_URL: undefined,
        // Only the profiles count: no ambient keys.
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_REGION: "us-east-1",
        AWS_PROFILE: undefined,
        AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "credentials"),
        AWS_CONFIG_FILE: path.join(tmp, "config"),
        AWS_EC2_METADATA_DISABLED: "true",
    });
    return {
        stub,
        stop: async () => {
            restore();
            await stub.stop();
            fs.rmSync(tmp, { recursive: true, force: true });
        },
    };
}

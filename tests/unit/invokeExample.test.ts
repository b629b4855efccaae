// The `invokeExample` output run as written, by sh, against a fake `aws` on PATH that records each call and the
// credentials in its environment: it reads the pointer, invokes the ARN the pointer holds, and with
// modelHosting.assumeRoleArn assumes that role first (a refused assume stops it there).
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { invokeExample } from "../../components/crossAccountImport/appOutputs";
import type { StackConfig } from "../../components/config/stackConfig";

const POINTER = "/bedrock-cmi/prod/mistral-prod-01/model-arn";
const LIVE_ARN = "arn:aws:bedrock:us-east-1:777788889999:imported-model/live00000001";

/**
 * A fake AWS CLI: one line per call, `<key id in env>|<arguments>`; answers as the real one would with --output text.
 */
const FAKE_AWS = `#!/bin/sh
echo "\${AWS_ACCESS_KEY_ID:-none}|$*" >> "$CALLS"
case "$1 $2" in
  "sts assume-role") [ -n "$REFUSE_ASSUME" ] && { echo "AccessDenied" >&2; exit 254; }; printf 'ASIAFAKE\\tsecretFAKE\\ttokenFAKE\\n' ;;
  "ssm get-parameter") echo "${LIVE_ARN}" ;;
  "bedrock-runtime invoke-model") for last; do :; done; echo '{"choices":[]}' > "$last" ;;
esac
`;

function run(
    line: string,
    env: Record<string, string> = {},
): { status: number | null; calls: string[]; wroteOutput: boolean } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "invoke-example-"));
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "aws"), FAKE_AWS, { mode: 0o755 });
    const calls = path.join(dir, "calls");
    const base = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`, CALLS: calls, AWS_ACCESS_KEY_ID: "" };
    const result = spawnSync("sh", ["-c", line], { cwd: dir, env: { ...base, ...env }, encoding: "utf8" });
    const recorded = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [];
    const wroteOutput = fs.existsSync(path.join(dir, "invoke-output.json"));
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, calls: recorded, wroteOutput };
}

function hosting(extra: Partial<StackConfig["modelHosting"]>): Pick<StackConfig, "modelHosting"> {
    return { modelHosting: { region: "us-east-1", ...extra } as StackConfig["modelHosting"] };
}

describe("invokeExample, run by sh against a fake aws CLI", () => {
    it("with a profile: reads the pointer, then invokes the ARN it holds, both with the profile", () => {
        const { status, calls, wroteOutput } = run(invokeExample(hosting({ profile: "model-hosting" }), POINTER));
        expect(status).to.equal(0);
        expect(calls).to.deep.equal([
            `none|ssm get-parameter --name ${POINTER} --query Parameter.Value --output text --region us-east-1 ` +
                `--profile model-hosting`,
            `none|bedrock-runtime invoke-model --model-id ${LIVE_ARN} --body {"prompt":"Hello, who are ` +
                `you?","max_tokens":128,"temperature":0.5} ` +
                "--cli-binary-format raw-in-base64-out --region us-east-1 --profile model-hosting invoke-output.json",
        ]);
        expect(wroteOutput).to.equal(true);
    });

    it("with assumeRoleArn: assumes the role (from the profile), then reads and invokes with the role's keys", () => {
        const role = "arn:aws:iam::777788889999:role/bedrock-cmi-deployer";
        const { status, calls } = run(
            invokeExample(hosting({ profile: "model-hosting", assumeRoleArn: role }), POINTER),
        );
        expect(status).to.equal(0);
        expect(calls).to.have.length(3);
        expect(calls[0]).to.equal(
            `none|sts assume-role --role-arn ${role} --role-session-name bedrock-cmi-invoke --query ` +
                `Credentials.[AccessKeyId,SecretAccessKey,SessionToken] ` +
                "--output text --region us-east-1 --profile model-hosting",
        );
        expect(calls[1]).to.equal(
            `ASIAFAKE|ssm get-parameter --name ${POINTER} --query Parameter.Value --output text --region us-east-1`,
        );
        expect(calls[2]).to.match(
            new RegExp(
                `^ASIAFAKE\\|bedrock-runtime invoke-model --model-id ${LIVE_ARN} .* --region us-east-1 ` +
                    `invoke-output\\.json$`,
            ),
        );
    });

    it("with assumeRoleArn and the default credential chain: no --profile anywhere", () => {
        const { calls } = run(
            invokeExample(hosting({ assumeRoleArn: "arn:aws:iam::777788889999:role/deployer" }), POINTER),
        );
        expect(calls).to.have.length(3);
        expect(calls.join("\n")).not.to.include("--profile");
    });

    it("a refused assume stops the line: nothing is read or invoked with other credentials, and it fails", () => {
        const line = invokeExample(
            hosting({ profile: "p", assumeRoleArn: "arn:aws:iam::777788889999:role/deployer" }),
            POINTER,
        );
        const { status, calls } = run(line, { REFUSE_ASSUME: "1" });
        expect(status).to.not.equal(0);
        expect(calls).to.have.length(1);
        expect(calls[0]).to.include("sts assume-role");
    });

    it("a profile name with shell characters is quoted", () => {
        const { status, calls } = run(invokeExample(hosting({ profile: "team a;echo x" }), POINTER));
        expect(status).to.equal(0);
        expect(calls[0]).to.match(/--profile team a;echo x$/);
    });
});

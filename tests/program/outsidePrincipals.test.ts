// Principals the stack names but does not manage (troubleshooting operators, model invokers) follow one rule: when the
// resource's statement is not enough on its own (another account, or a statement naming the account root), the row says
// what the principal's own account must grant, and the simulation assumes that grant, for operators and invokers alike.

import { expect } from "chai";
import * as fs from "fs";
import {
    accessParams,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import type { PolicyStatement } from "../../components/policies/document";
import { parseStackConfig } from "../../components/config/stackConfig";
import { evaluateAccess, type AccessResult } from "../../scripts/access/matrix";
import { planMain } from "../../scripts/plan/cli";
import { contractConfig } from "../helpers/programHarness";
import { derivedStack, tempStackRoot } from "../helpers/stackFiles";

const OTHER = "444455556666";
const FOREIGN_APP = `arn:aws:iam::${OTHER}:role/app`;
const FOREIGN_OPS = `arn:aws:iam::${OTHER}:role/ops`;
const LOCAL_APP = "arn:aws:iam::777788889999:role/app";
const LOCAL_OPS = "arn:aws:iam::777788889999:role/ops";

async function plan(root: string, stack: string): Promise<{ code: number; rows: AccessResult[]; text: string }> {
    let json = "";
    let text = "";
    const code = await planMain(
        ["--stack", stack, "--json"],
        { stdout: (t) => (json += t), stderr: () => undefined },
        { root },
    );
    await planMain(["--stack", stack], { stdout: (t) => (text += t), stderr: (t) => (text += t) }, { root });
    return { code, rows: (JSON.parse(json) as { accessMatrix: AccessResult[] }).accessMatrix, text };
}

describe("operators and invokers of other accounts: one rule, and the row says what the other account must grant", function () {
    this.timeout(30000);
    let root: string;
    let planned: { code: number; rows: AccessResult[]; text: string };
    before(async () => {
        root = tempStackRoot({
            mixed: derivedStack({
                yaml: (s) => {
                    s.section("modelHosting").kms = { enabled: true, invokers: [FOREIGN_APP, LOCAL_APP] };
                    s.sub("modelHosting", "troubleshooting").allowAssumeFrom = [FOREIGN_OPS, LOCAL_OPS];
                },
            }),
        });
        planned = await plan(root, "mixed");
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    it(
        "plan exits 0: an invoker of another account is allowed once its account grants kms:Decrypt, and the row " +
            "says so",
        () => {
            const { code, rows, text } = planned;
            expect(code, text.slice(-2000)).to.equal(0);
            const invoker = rows.find((r) => r.id === `kms.hosting.invoker:${FOREIGN_APP}`)!;
            expect(invoker.ok).to.equal(true);
            expect(invoker.alsoNeeds)
                .to.include(`account ${OTHER} must also allow kms:Decrypt on arn:aws:kms:us-east-1:777788889999:key/`)
                .and.include("with kms:ViaService = bedrock.us-east-1.amazonaws.com")
                .and.include(`in the IAM policy of ${FOREIGN_APP}`);
            expect(text).to.include(
                `Model invoker ${FOREIGN_APP} can decrypt with the hosting key through Bedrock ` +
                    `(modelHosting.kms.invokers); account ${OTHER} must also allow`,
            );
            // Outside Bedrock it stays denied, with that grant assumed: the key policy's condition refuses it.
            const direct = rows.find((r) => r.id === `kms.hosting.invoker-direct:${FOREIGN_APP}`)!;
            expect(direct).to.include({ ok: true, identity: "ownPolicy" });
        },
    );

    it("an invoker of the hosting account needs nothing of its own account (the key policy names its role)", () => {
        const { rows } = planned;
        const invoker = rows.find((r) => r.id === `kms.hosting.invoker:${LOCAL_APP}`)!;
        expect(invoker).to.include({ ok: true, identity: "none" });
        expect(invoker.alsoNeeds).to.equal(undefined);
    });

    it("operators, of another account or the hosting one, get the same kind of row: what their account must grant", () => {
        const { rows } = planned;
        const foreign = rows.find((r) => r.id === `trust.operator:${FOREIGN_OPS}`)!;
        expect(foreign.ok).to.equal(true);
        expect(foreign.description).to.include(
            `account ${OTHER} must also allow sts:AssumeRole on ` +
                `arn:aws:iam::777788889999:role/BedrockCMIExecutionRole-777788889999 in the IAM policy of ` +
                `${FOREIGN_OPS}`,
        );
        const local = rows.find((r) => r.id === `trust.operator:${LOCAL_OPS}`)!;
        expect(local.description)
            .to.include("account 777788889999 must also allow sts:AssumeRole")
            .and.include("names the account, which delegates to IAM");
    });

    it(
        "the assumed grant does not hide a broken key policy: without kms:ViaService the foreign invoker's direct " +
            "decrypt is caught",
        async () => {
            const config = contractConfig("prod");
            (config.modelHosting.kms as Record<string, unknown>).invokers = [FOREIGN_APP];
            const p: AccessParams = accessParams(parseStackConfig(config), {
                developmentKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-1111-aaaa-1111-aaaaaaaaaaaa",
                hostingKeyArn: "arn:aws:kms:us-east-1:777788889999:key/2222bbbb-2222-bbbb-2222-bbbbbbbbbbbb",
            });
            const key = hostingKeyPolicy(p);
            const unconditioned = ({ Condition, ...rest }: PolicyStatement): PolicyStatement => (void Condition, rest);
            const loose = {
                ...key,
                Statement: key.Statement.map((s) =>
                    s.Sid === "AllowModelInvokersDecryptThroughBedrock" ? unconditioned(s) : s,
                ),
            };
            const docs = {
                bucketPolicy: bucketPolicy(p),
                trustPolicy: trustPolicy(p),
                executionPolicy: executionPolicy(p),
                developmentKeyPolicy: developmentKeyPolicy(p),
            };
            const good = await evaluateAccess(p, { ...docs, hostingKeyPolicy: key });
            expect(good.filter((r) => !r.ok).map((r) => r.id)).to.deep.equal([]);
            const broken = await evaluateAccess(p, { ...docs, hostingKeyPolicy: loose });
            expect(broken.filter((r) => !r.ok).map((r) => r.id)).to.deep.equal([
                `kms.hosting.invoker-direct:${FOREIGN_APP}`,
            ]);
        },
    );
});

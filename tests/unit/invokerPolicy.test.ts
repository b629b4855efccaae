// The identity policy of an app that invokes the models (components/policies/invoker.ts): its exact shape, then the
// IAM policy simulator over it and the hosting key policy (the access matrix's invoker rows): the app reads the stack's
// pointers and invokes its models, and nothing else; each typical loosening is caught by a must-deny row.
import { expect } from "chai";
import { parseStackConfig } from "../../components/config/stackConfig";
import {
    accessParams,
    bucketPolicy,
    developmentKeyPolicy,
    executionPolicy,
    hostingKeyPolicy,
    trustPolicy,
    type AccessParams,
} from "../../components/policies/statements";
import type { PolicyDocument, PolicyStatement } from "../../components/policies/document";
import { invokerIdentityPolicy, type InvokerTarget } from "../../components/policies/invoker";
import { evaluateInvokerAccess, type AccessResult, type PolicySet } from "../../scripts/access/matrix";
import { contractConfig } from "../helpers/programHarness";

const HOST_KEY = "arn:aws:kms:us-east-1:777788889999:key/2222bbbb-2222-bbbb-2222-bbbbbbbbbbbb";
const DEV_KEY = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-1111-aaaa-1111-aaaaaaaaaaaa";
const MODEL_A = "arn:aws:bedrock:us-east-1:777788889999:imported-model/abcdefgh0001";
const MODEL_B = "arn:aws:bedrock:us-east-1:777788889999:imported-model/abcdefgh0002";
const TARGET: InvokerTarget = {
    pointerParameterNames: ["/bedrock-cmi/prod/mistral-prod-01/model-arn", "/bedrock-cmi/prod/llama-prod-02/model-arn"],
    modelArns: [MODEL_A, MODEL_B],
};

function prodParams(): AccessParams {
    return accessParams(parseStackConfig(contractConfig("prod")), {
        developmentKeyArn: DEV_KEY,
        hostingKeyArn: HOST_KEY,
    });
}

function docs(p: AccessParams): PolicySet {
    return {
        bucketPolicy: bucketPolicy(p),
        trustPolicy: trustPolicy(p),
        executionPolicy: executionPolicy(p),
        developmentKeyPolicy: developmentKeyPolicy(p),
        hostingKeyPolicy: hostingKeyPolicy(p),
    };
}

async function invokerResults(
    p: AccessParams,
    policy: PolicyDocument,
    target: InvokerTarget = TARGET,
): Promise<AccessResult[]> {
    return evaluateInvokerAccess(p, docs(p), { policy, target });
}

const failing = (results: AccessResult[]) => results.filter((r) => !r.ok).map((r) => r.id);

function edit(
    doc: PolicyDocument,
    sid: string,
    change: (s: PolicyStatement) => PolicyStatement | undefined,
): PolicyDocument {
    expect(doc.Statement.map((s) => s.Sid)).to.include(sid);
    return {
        ...doc,
        Statement: doc.Statement.flatMap((s) =>
            s.Sid === sid ? [change({ ...s })].filter((x) => x !== undefined) : [s],
        ),
    };
}

describe("invokerIdentityPolicy: what an app that invokes the models needs", () => {
    it("reads the pointers, invokes the models, decrypts through Bedrock only with a hosting key", () => {
        expect(invokerIdentityPolicy(prodParams(), TARGET)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ReadModelPointers",
                    Effect: "Allow",
                    Action: "ssm:GetParameter",
                    Resource: [
                        "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/prod/mistral-prod-01/model-arn",
                        "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/prod/llama-prod-02/model-arn",
                    ],
                },
                {
                    Sid: "InvokeImportedModels",
                    Effect: "Allow",
                    Action: "bedrock:InvokeModel",
                    Resource: [MODEL_A, MODEL_B],
                },
                {
                    Sid: "DecryptImportedModelsThroughBedrock",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: HOST_KEY,
                    Condition: { StringEquals: { "kms:ViaService": "bedrock.us-east-1.amazonaws.com" } },
                },
            ],
        });
    });

    it(
        "without a hosting key no KMS statement; before up (no model ARNs) the hosting account's imported models of " +
            "its region",
        () => {
            const dev = accessParams(parseStackConfig(contractConfig("dev")));
            const policy = invokerIdentityPolicy(dev, { pointerParameterNames: ["/bedrock-cmi/dev/m/model-arn"] });
            expect(policy.Statement.map((s) => [s.Sid, s.Resource])).to.deep.equal([
                ["ReadModelPointers", "arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/dev/m/model-arn"],
                ["InvokeImportedModels", "arn:aws:bedrock:us-east-1:777788889999:imported-model/*"],
            ]);
        },
    );

    describe("through the IAM policy simulator", function () {
        this.timeout(30000);
        const p = prodParams();
        const good = invokerIdentityPolicy(p, TARGET);

        it("the policy as built: every invoker row as it should be", async () => {
            const results = await invokerResults(p, good);
            expect(failing(results)).to.deep.equal([]);
            expect(results.filter((r) => r.expect === "allowed").map((r) => r.id)).to.have.members([
                "invoker.read-pointer:arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/prod/mistral-prod-01/model-arn",
                "invoker.read-pointer:arn:aws:ssm:us-east-1:777788889999:parameter/bedrock-cmi/prod/llama-prod-02/model-arn",
                `invoker.invoke:${MODEL_A}`,
                `invoker.invoke:${MODEL_B}`,
                "invoker.decrypt-through-bedrock",
            ]);
        });

        it("the plan's form (no model ARNs yet) passes its rows too", async () => {
            const target = { pointerParameterNames: TARGET.pointerParameterNames };
            expect(failing(await invokerResults(p, invokerIdentityPolicy(p, target), target))).to.deep.equal([]);
        });

        const cases: { name: string; policy: () => PolicyDocument; mustFail: string[] }[] = [
            {
                name: "SSM on every parameter: another stack's pointer is readable",
                policy: () => edit(good, "ReadModelPointers", (s) => ({ ...s, Resource: "*" })),
                mustFail: ["invoker.deny.other-stack-pointer"],
            },
            {
                name: "ssm:* on the pointers: the app can move them",
                policy: () => edit(good, "ReadModelPointers", (s) => ({ ...s, Action: "ssm:*" })),
                mustFail: ["invoker.deny.move-pointer"],
            },
            {
                name: "bedrock:* : the app can delete the model",
                policy: () => edit(good, "InvokeImportedModels", (s) => ({ ...s, Action: "bedrock:*" })),
                mustFail: ["invoker.deny.delete-model"],
            },
            {
                name: "every imported model instead of the stack's: another model is invokable",
                policy: () =>
                    edit(good, "InvokeImportedModels", (s) => ({
                        ...s,
                        Resource: "arn:aws:bedrock:*:777788889999:imported-model/*",
                    })),
                mustFail: ["invoker.deny.other-model", "invoker.deny.other-region-model"],
            },
            {
                name: "InvokeModel on every resource: foundation models too",
                policy: () => edit(good, "InvokeImportedModels", (s) => ({ ...s, Resource: "*" })),
                mustFail: ["invoker.deny.foundation-model", "invoker.deny.other-model"],
            },
            {
                name: "no kms:ViaService condition: the app decrypts outside Bedrock",
                policy: () =>
                    edit(good, "DecryptImportedModelsThroughBedrock", (s) => ({ ...s, Condition: undefined })),
                mustFail: ["invoker.deny.decrypt-direct"],
            },
            {
                name: "no KMS statement: the models encrypted with the hosting key cannot be invoked",
                policy: () => edit(good, "DecryptImportedModelsThroughBedrock", () => undefined),
                mustFail: ["invoker.decrypt-through-bedrock"],
            },
            {
                name: "no pointer statement: the app cannot find the live model",
                policy: () => edit(good, "ReadModelPointers", () => undefined),
                mustFail: TARGET.pointerParameterNames.map(
                    (n) => `invoker.read-pointer:arn:aws:ssm:us-east-1:777788889999:parameter${n}`,
                ),
            },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                expect(failing(await invokerResults(p, c.policy()))).to.include.members(c.mustFail);
            });
        }
    });
});

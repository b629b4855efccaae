// The application that invokes the models, judged with the invoker identity policy (components/policies/invoker.ts)
// attached to a stand-in role of the hosting account: it reads the pointers and invokes the models, and nothing more.
// Evaluated only when that policy is given (OutsideIdentities.invoker): the plan and the tests give it.

import { bedrockViaService } from "../../../components/policies/statements";
import { pointerParameterArn, type InvokerTarget } from "../../../components/policies/invoker";
import { pointerParameterName } from "../../../components/naming";
import { statement, type AccessRow, type Subjects } from "../rows";

/** The app's role as the rows see it: a role of the hosting account that the hosting key policy does not name. */
function invokerStandIn(s: Subjects): string {
    return `arn:${s.p.partition}:iam::${s.p.hostingAccountId}:role/ModelInvokingApp`;
}

/**
 * Imported-model ARNs of the hosting account: the given ones, or an example one when they are not known yet (the plan).
 */
function modelArnsOf(s: Subjects, target: InvokerTarget): string[] {
    const base = `arn:${s.p.partition}:bedrock:${s.p.hostingRegion}:${s.p.hostingAccountId}:imported-model`;
    return target.modelArns && target.modelArns.length > 0 ? [...target.modelArns] : [`${base}/example00001`];
}

export function invokerRows(s: Subjects, target: InvokerTarget): AccessRow[] {
    const { p } = s;
    const as = { principal: invokerStandIn(s), identity: "invoker", resourceAccount: p.hostingAccountId } as const;
    const pointers = target.pointerParameterNames.map((name) => pointerParameterArn(p, name));
    const models = modelArnsOf(s, target);
    const otherModel = `arn:${p.partition}:bedrock:${s.otherRegion}:${p.hostingAccountId}:imported-model/otherregion01`;
    const rows: AccessRow[] = [
        ...pointers.map((resource): AccessRow => ({
            id: `invoker.read-pointer:${resource}`,
            expect: "allowed",
            description: `The app reads the live model ARN from ${resource}`,
            action: "ssm:GetParameter",
            resource,
            ...as,
        })),
        {
            id: "invoker.deny.move-pointer",
            expect: "denied",
            description: "The app cannot move a pointer (ssm:PutParameter)",
            action: "ssm:PutParameter",
            resource: pointers[0],
            ...as,
        },
        {
            id: "invoker.deny.other-stack-pointer",
            expect: "denied",
            description: "The app cannot read another stack's pointer",
            action: "ssm:GetParameter",
            resource: pointerParameterArn(p, pointerParameterName("some-other-stack", "model")),
            ...as,
        },
        ...models.map((resource): AccessRow => ({
            id: `invoker.invoke:${resource}`,
            expect: "allowed",
            description: `The app invokes the imported model ${resource}`,
            action: "bedrock:InvokeModel",
            resource,
            ...as,
        })),
        {
            id: "invoker.deny.delete-model",
            expect: "denied",
            description: "The app cannot delete an imported model",
            action: "bedrock:DeleteImportedModel",
            resource: models[0],
            ...as,
        },
        {
            id: "invoker.deny.foundation-model",
            expect: "denied",
            description: "The app cannot invoke a foundation model",
            action: "bedrock:InvokeModel",
            resource: `arn:${p.partition}:bedrock:${p.hostingRegion}::foundation-model/meta.llama3-8b-instruct-v1:0`,
            ...as,
        },
    ];
    if (s.otherRegion !== p.hostingRegion) {
        rows.push({
            id: "invoker.deny.other-region-model",
            expect: "denied",
            description: `The app cannot invoke an imported model of another region (${s.otherRegion})`,
            action: "bedrock:InvokeModel",
            resource: otherModel,
            ...as,
        });
    }
    if (target.modelArns && target.modelArns.length > 0) {
        rows.push({
            id: "invoker.deny.other-model",
            expect: "denied",
            description: "The app cannot invoke another imported model of the hosting account",
            action: "bedrock:InvokeModel",
            resource: `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:imported-model/notthisstack`,
            ...as,
        });
    }
    if (p.hostingKeyArn) {
        // The key policy's root statement delegates to IAM: the invoker policy's condition decides.
        const key = {
            resource: p.hostingKeyArn,
            resourcePolicy: "hostingKeyPolicy" as const,
            lookAt: [statement("hostingKeyPolicy", "rootAdministration")],
        };
        rows.push(
            {
                id: "invoker.decrypt-through-bedrock",
                expect: "allowed",
                description: "The app decrypts with the hosting key through Bedrock (models encrypted with it)",
                action: "kms:Decrypt",
                ...as,
                ...key,
                context: { "kms:ViaService": bedrockViaService(p) },
            },
            {
                id: "invoker.deny.decrypt-direct",
                expect: "denied",
                description: "The app cannot decrypt with the hosting key outside Bedrock (no kms:ViaService)",
                action: "kms:Decrypt",
                ...as,
                ...key,
            },
        );
    }
    return rows;
}

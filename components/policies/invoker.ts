// The identity policy of an application that invokes this stack's models: read the SSM pointer of each model (the live
// ARN, README "Rolling out a new model version", its paragraph on why callers read the pointer), invoke the imported models, and, when the hosting key encrypts them,
// decrypt with it through Bedrock. The program writes no such policy (the app's role is not this stack's): the stack
// output `invokerPolicy` and `npm run plan` print it, for whoever attaches it to the app's role in the hosting account.
// Pure: plain strings in, a plain object out.

import { bedrockViaService, INVOKER_KEY_ACTIONS, SIDS, type AccessParams } from "./statements";
import type { OwnStatement, PolicyDocument } from "./document";

/** What the invoker reaches: the stack's pointers, and its models once they exist. */
export interface InvokerTarget {
    /** The SSM parameter names of the stack's model pointers (components/naming.ts pointerParameterName). */
    pointerParameterNames: readonly string[];
    /**
     * The imported models' ARNs (the stack output). Unknown before `up` (the plan): the statement then names every
     * imported model of the hosting account and region, which the output narrows to this stack's.
     */
    modelArns?: readonly string[];
}

type InvokerParams = Pick<AccessParams, "partition" | "hostingAccountId" | "hostingRegion" | "hostingKeyArn">;

/**
 * The ARN of an SSM parameter, `…:parameter/${ParameterNameWithoutLeadingSlash}`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html).
 */
export function pointerParameterArn(p: InvokerParams, name: string): string {
    return `arn:${p.partition}:ssm:${p.hostingRegion}:${p.hostingAccountId}:parameter/${name.replace(/^\//, "")}`;
}

/** Every imported model of the hosting account and region: the plan's stand-in for ARNs that exist only after `up`. */
function anyImportedModelArn(p: InvokerParams): string {
    return `arn:${p.partition}:bedrock:${p.hostingRegion}:${p.hostingAccountId}:imported-model/*`;
}

function oneOrMany(values: readonly string[]): string | string[] {
    const unique = [...new Set(values)];
    return unique.length === 1 ? unique[0] : unique;
}

export function invokerIdentityPolicy(p: InvokerParams, target: InvokerTarget): PolicyDocument<OwnStatement> {
    const statements: OwnStatement[] = [
        {
            // GetParameter alone: the app reads the live ARN and can neither move the pointer nor read other parameters.
            Sid: SIDS.invokerIdentityPolicy.readPointers,
            Effect: "Allow",
            Action: "ssm:GetParameter",
            Resource: oneOrMany(target.pointerParameterNames.map((name) => pointerParameterArn(p, name))),
        },
        {
            // InvokeModel takes the imported model's ARN as modelId
            // (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html) and is authorized on
            // the imported-model resource type (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html),
            // so the statement names the models themselves. Streaming callers add bedrock:InvokeModelWithResponseStream.
            Sid: SIDS.invokerIdentityPolicy.invokeModels,
            Effect: "Allow",
            Action: "bedrock:InvokeModel",
            Resource: target.modelArns && target.modelArns.length > 0 ? oneOrMany(target.modelArns) : anyImportedModelArn(p),
        },
    ];
    if (p.hostingKeyArn) {
        // Models encrypted with a customer managed key need their users to decrypt with it ("Permissions for imported
        // model users", https://docs.aws.amazon.com/bedrock/latest/userguide/import-model-using-cmk.html), only through
        // Bedrock. The key policy's root statement lets this IAM policy grant it to any role of the hosting account;
        // roles listed in modelHosting.kms.invokers have it from the key policy as well.
        statements.push({
            Sid: SIDS.invokerIdentityPolicy.decryptThroughBedrock,
            Effect: "Allow",
            Action: [...INVOKER_KEY_ACTIONS],
            Resource: p.hostingKeyArn,
            Condition: { StringEquals: { "kms:ViaService": bedrockViaService(p) } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

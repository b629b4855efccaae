// The identity policy of an application that invokes this stack's models: read the SSM pointer of each model (the live
// ARN, README "Rolling out a new model version", its paragraph on why callers read the pointer), invoke the imported
// models, and, when the hosting key encrypts them, decrypt with it through Bedrock. The program writes no such policy
// (the app's role is not this stack's): the stack output `invokerPolicy` and `npm run plan` print it, for whoever
// attaches it to the app's role in the hosting account. Its statements are the invoker grants' (./grants.ts). Pure:
// plain strings in, a plain object out.

import { policyDocument, type OwnStatement, type PolicyDocument } from "./document";
import { grantStatements } from "./grants";
import type { InvokerParams, InvokerTarget } from "./params";

export { pointerParameterArn, type InvokerTarget } from "./params";

export function invokerIdentityPolicy(p: InvokerParams, target: InvokerTarget): PolicyDocument<OwnStatement> {
    return policyDocument(grantStatements("invokerIdentityPolicy", { ...p, target }));
}

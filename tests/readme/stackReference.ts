// The app's own Pulumi program, reading the model stack's outputs through a StackReference. The README quotes this
// file (tests/tools/readme.test.ts checks they match), and tsc checks it with the tests, so the example compiles.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// <organization>/<project>/<stack> of the model stack ("organization" on a self-managed backend: file://, s3://).
const modelStack = new pulumi.StackReference("organization/bedrock-cross-account-import/dev");

interface ModelForApp {
    modelArn: string;
    pointerParameterName: string;
    region: string;
}
const models = modelStack.requireOutput("modelsByName") as pulumi.Output<Record<string, ModelForApp>>;
const mistral = models.apply((byName) => byName["mistral-dev-01"]);

// Hand the app the pointer, not the ARN: it reads the live ARN at run time, and a new model version moves the pointer.
export const pointerParameterName = mistral.pointerParameterName;
export const modelRegion = mistral.region;

// The app's role, in the hosting account (this program's AWS provider must deploy there), with the invoker's policy.
const appRole = new aws.iam.Role("app", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ecs-tasks.amazonaws.com" }),
});
new aws.iam.RolePolicy("invoke-imported-models", {
    role: appRole.id,
    policy: pulumi.jsonStringify(modelStack.requireOutput("invokerPolicy")),
});

// What a consuming application reads from the stack's outputs: each model by its config name (ARN, pointer, region),
// the identity policy its role needs (components/policies/invoker.ts), and a shell example that invokes a model the way
// an app should: read the live ARN from the SSM pointer, then invoke it, with the hosting account's credentials.
// Pure: the component applies these to resolved values.

import type { StackConfig } from "../config/stackConfig";

/** One model as an app looks it up: `modelsByName["mistral-01"].pointerParameterName`. */
export interface ModelForApp {
    /** The imported model's ARN at the last `up` (a new version has a new ARN: read the pointer at run time). */
    modelArn: string;
    /** SSM parameter (hosting account) holding the live model ARN. */
    pointerParameterName: string;
    /** The hosting region: where the pointer and the model are. */
    region: string;
}

/** The `modelsByName` output: the models keyed by their config name (`models[].name`, unique in a stack). */
export function modelsByName(
    models: readonly { name: string; modelArn: string; pointerParameterName: string }[],
    region: string,
): Record<string, ModelForApp> {
    return Object.fromEntries(
        models.map((m) => [m.name, { modelArn: m.modelArn, pointerParameterName: m.pointerParameterName, region }]),
    );
}

/** A word as the shell reads it: bare when it holds only safe characters, else single-quoted. */
function shellWord(s: string): string {
    return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The minimal prompt body Llama/Mistral-family imports accept (OpenAI completion shape). */
const EXAMPLE_BODY = JSON.stringify({ prompt: "Hello, who are you?", max_tokens: 128, temperature: 0.5 });

/**
 * One shell line: read the live ARN from the pointer, then `aws bedrock-runtime invoke-model` with it. With
 * `modelHosting.assumeRoleArn`, it runs in a subshell that first assumes that role (with the profile, when set, as the
 * source credentials), as the program does; otherwise it uses the profile (or the default credential chain).
 */
export function invokeExample(config: Pick<StackConfig, "modelHosting">, pointerParameterName: string): string {
    const { region, profile, assumeRoleArn } = config.modelHosting;
    const profileArg = profile ? [`--profile ${shellWord(profile)}`] : [];
    // Once the role's keys are in the environment, --profile would take precedence over them: only the assume uses it.
    const callerArgs = assumeRoleArn ? [] : profileArg;
    const read = [
        "MODEL_ARN=$(aws ssm get-parameter",
        `--name ${shellWord(pointerParameterName)}`,
        "--query Parameter.Value --output text",
        `--region ${region}`,
        ...callerArgs,
    ].join(" ");
    const invoke = [
        "aws bedrock-runtime invoke-model",
        '--model-id "$MODEL_ARN"',
        `--body ${shellWord(EXAMPLE_BODY)}`,
        "--cli-binary-format raw-in-base64-out",
        `--region ${region}`,
        ...callerArgs,
        "invoke-output.json",
    ].join(" ");
    const steps = `${read}) && ${invoke}`;
    if (!assumeRoleArn) return steps;
    const assume = [
        "CREDS=$(aws sts assume-role",
        `--role-arn ${shellWord(assumeRoleArn)}`,
        "--role-session-name bedrock-cmi-invoke",
        "--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text",
        `--region ${region}`,
        ...profileArg,
    ].join(" ");
    // An assignment's status is its command substitution's: a refused assume stops the line there.
    return (
        `( ${assume}) && set -- $CREDS && export AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" ` +
        `AWS_SESSION_TOKEN="$3" && ${steps} )`
    );
}

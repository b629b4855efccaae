// Secret config values stay secret. The program reads each config key as plain JSON (the validator needs the values),
// so whatever carries a secret value must be marked again: resource inputs (secretInputs, a transformation) and stack
// outputs (keepSecret). Pulumi then stores them as ciphertext (https://www.pulumi.com/docs/iac/concepts/secrets/).
//
// Which values are secret: the engine names the secret keys, but only whole top-level keys. `pulumi config set
// --secret --path <key>.a.b` makes only that leaf `{ secure: ... }` in Pulumi.<stack>.yaml while the engine still
// reports the whole key as secret; the stack file narrows it to its `secure:` leaves. Where the file cannot tell
// (unreadable, the key not in it, or no secure: leaf under it, e.g. a secret from an ESC environment), every leaf of
// the key is secret: this over-marks, never under-marks.

import * as pulumi from "@pulumi/pulumi";
import { projectFolderFrom, readStackFileConfig } from "./stackFiles";

/** A scalar config value; numbers and booleans are secret too when set with --secret. */
type Leaf = string | number | boolean;

/** The plain values of the stack's secret config leaves. */
export interface SecretValues {
    readonly leaves: readonly Leaf[];
}

type Path = ReadonlyArray<string | number>;

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * An object literal or parsed JSON, as config values and resource inputs are (not an Output, a resource or an asset).
 */
function isPlainObject(v: unknown): v is Record<string, unknown> {
    return isObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);
}

/** `{ secure: "v1:..." }`: how a stack file holds a secret value. */
function isSecure(v: unknown): boolean {
    return isObject(v) && Object.keys(v).length === 1 && typeof v["secure"] === "string";
}

/** The paths of the `secure:` values in a stack file's value of one key ([] when the whole key is one). */
function securePaths(fileValue: unknown, at: Path = []): Path[] {
    if (isSecure(fileValue)) return [at];
    if (Array.isArray(fileValue)) return fileValue.flatMap((v, i) => securePaths(v, [...at, i]));
    if (isObject(fileValue)) return Object.entries(fileValue).flatMap(([k, v]) => securePaths(v, [...at, k]));
    return [];
}

function valueAt(value: unknown, at: Path): unknown {
    return at.reduce<unknown>(
        (v, p) => (Array.isArray(v) || isObject(v) ? (v as Record<string | number, unknown>)[p] : undefined),
        value,
    );
}

/** Every scalar under `value`. */
function leavesOf(value: unknown): Leaf[] {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return [value];
    if (Array.isArray(value)) return value.flatMap(leavesOf);
    if (isObject(value)) return Object.values(value).flatMap(leavesOf);
    return [];
}

/**
 * The secret leaves of one secret key: `value` is what the program read, `fileValue` the key's value in the stack file
 * (undefined when the file could not be read or does not set the key). Each secure: path must lead to a value the
 * program read; otherwise the file is not the one the engine used, and the whole key counts as secret.
 */
export function secretLeaves(value: unknown, fileValue: unknown): Leaf[] {
    const paths = securePaths(fileValue);
    const found = paths.map((p) => valueAt(value, p));
    if (paths.length === 0 || found.some((v) => v === undefined)) return leavesOf(value);
    return found.flatMap(leavesOf);
}

/**
 * The secret keys the engine names (PULUMI_CONFIG_SECRET_KEYS, which the language host hands the SDK's config store).
 */
function isSecretKey(qualified: string): boolean {
    // @pulumi/pulumi exports isConfigSecret from its runtime without a type (it is marked internal); the environment is
    // where the Node.js language host puts the same list.
    const probe = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof probe === "function") return probe(qualified);
    const keys = JSON.parse(process.env["PULUMI_CONFIG_SECRET_KEYS"] || "[]") as unknown;
    return Array.isArray(keys) && keys.includes(qualified);
}

/** The stack file's config, or undefined when there is none to read (the caller then treats whole keys as secret). */
function stackFileConfig(): Record<string, unknown> | undefined {
    // The engine runs the program in the project folder (getRootDirectory() is empty on hosts that do not send it).
    const root = projectFolderFrom(pulumi.runtime.getRootDirectory() || process.cwd());
    if (root === undefined) return undefined;
    try {
        return readStackFileConfig(root, pulumi.getStack());
    } catch {
        return undefined;
    }
}

/**
 * The secret values among the config keys the program read (`raw`: key without namespace -> value), with
 * `namespace` the keys' namespace. Reads the stack file only when a key is secret.
 */
export function secretConfigValues(namespace: string, raw: Readonly<Record<string, unknown>>): SecretValues {
    const secretKeys = Object.keys(raw).filter((key) => raw[key] !== undefined && isSecretKey(`${namespace}:${key}`));
    if (secretKeys.length === 0) return { leaves: [] };
    const file = stackFileConfig();
    const fileValue = (key: string) => (file === undefined ? undefined : (file[`${namespace}:${key}`] ?? file[key]));
    return { leaves: secretKeys.flatMap((key) => secretLeaves(raw[key], fileValue(key))) };
}

/**
 * Whether `value` carries a secret: a string that contains a secret string or number (an ARN with a secret account id,
 * a policy document with a secret role name), or a number or boolean equal to a secret one. Object keys count
 * (`modelsByName` is keyed by model name). An empty secret string carries nothing and is ignored.
 */
export function holdsSecret(value: unknown, secrets: SecretValues): boolean {
    const texts = secrets.leaves
        .filter((l) => typeof l !== "boolean")
        .map(String)
        .filter((t) => t !== "");
    const scalars = secrets.leaves.filter((l) => typeof l !== "string");
    const holds = (v: unknown): boolean => {
        if (typeof v === "string") return texts.some((t) => v.includes(t));
        if (typeof v === "number" || typeof v === "boolean") return scalars.includes(v) || texts.includes(String(v));
        if (Array.isArray(v)) return v.some(holds);
        if (isPlainObject(v)) return Object.entries(v).some(([k, x]) => holds(k) || holds(x));
        return false;
    };
    return texts.length + scalars.length > 0 && holds(value);
}

/** Whether `value` is, or holds in a plain object or array, a value known only later (an Output or a Promise). */
function isEventual(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
    if (Array.isArray(value)) return value.some(isEventual);
    return isPlainObject(value) && Object.values(value).some(isEventual);
}

/** `value`, as a secret when it carries a secret value; an Output is judged when it resolves. */
export function keepSecret<T>(value: pulumi.Input<T>, secrets: SecretValues): pulumi.Input<T> {
    if (secrets.leaves.length === 0) return value;
    if (isEventual(value)) {
        return pulumi.output(value).apply((v) => (holdsSecret(v, secrets) ? pulumi.secret(v) : v)) as pulumi.Output<T>;
    }
    return holdsSecret(value, secrets) ? (pulumi.secret(value) as pulumi.Output<T>) : value;
}

/**
 * A transformation that makes each input of a custom resource (AWS providers included) that carries a secret value a
 * secret (https://www.pulumi.com/docs/iac/concepts/options/transformations/). The component registers no inputs of its
 * own: its children carry the values.
 * `__provider` is a dynamic resource's serialized provider code, never a config value.
 */
export function secretInputs(secrets: SecretValues): pulumi.ResourceTransformation {
    return (args) => {
        if (secrets.leaves.length === 0 || !(args.resource instanceof pulumi.CustomResource)) return undefined;
        const props = Object.fromEntries(
            Object.entries(args.props).map(([k, v]) => [
                k,
                k === "__provider" ? v : keepSecret(v as pulumi.Input<unknown>, secrets),
            ]),
        );
        return { props, opts: args.opts };
    };
}

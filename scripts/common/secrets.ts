// Secret config values in a stack file. `pulumi config set --secret [--path]` stores a value as `{ secure: <ciphertext>
// }` (https://www.pulumi.com/docs/iac/concepts/secrets/), and only the Pulumi CLI can decrypt it. The offline tools
// cannot: `plan` checks everything else with a stand-in of the right shape for each secret value, and shows the secret
// as [secret]; a rule that needs the plain value says "cannot check (secret)" instead of judging the stand-in.

import { createHash } from "crypto";
import { CONFIG_NAMESPACE } from "../../components/config/stackConfig";
import { isAwsRegion, partitionOf } from "../../components/rules";

/** One secret value of the stack's config. */
export interface SecretValue {
    /** The validator's name for it: modelHosting.accountId, models[0].tags.team, modelHosting.kms.invokers[1]. */
    key: string;
    /**
     * What the plan uses in its place: valid for the key's rules, unique, replaced by [secret] in what the plan prints.
     */
    standIn: string;
    /** Whether the key's rules hold for every value a secret can have (a profile: any non-empty string). */
    checked: boolean;
}

export const SHOWN_AS = "[secret]";

const CONTRACT_KEYS = ["modelDevelopment", "modelHosting", "models"] as const;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `{ secure: "v1:..." }`: how the stack file holds a secret value. */
function isSecure(v: unknown): boolean {
    return isObj(v) && Object.keys(v).length === 1 && typeof v["secure"] === "string";
}

function hash(salt: string, key: string): string {
    return createHash("sha256").update(`${salt}\0${key}`).digest("hex");
}

/** The contract keys (validator spelling) whose values are secret, in file order. */
export function secureKeys(map: Readonly<Record<string, unknown>>): string[] {
    const out: string[] = [];
    const walk = (v: unknown, key: string): void => {
        if (isSecure(v)) out.push(key);
        else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${key}[${i}]`));
        else if (isObj(v)) for (const [k, x] of Object.entries(v)) walk(x, `${key}.${k}`);
    };
    for (const k of CONTRACT_KEYS) walk(map[`${CONFIG_NAMESPACE}:${k}`], k);
    return out;
}

/**
 * What each kind of secret value stands in for, from the plain values around it; undefined: the plan needs the plain
 * value.
 */
function standInFor(
    key: string,
    salt: string,
    plain: (section: string, name: string) => string | undefined,
): { standIn: string; checked: boolean } | undefined {
    const h = hash(salt, key);
    const token = `secret-${h.slice(0, 12)}`;
    const section = key.startsWith("modelDevelopment") ? "modelDevelopment" : "modelHosting";
    const region = plain(section, "region");
    const partition = region && isAwsRegion(region) ? partitionOf(region) : "aws";
    const account = (s: string) => plain(s, "accountId") ?? "";
    const checked = false;
    if (/^model(Development|Hosting)\.accountId$/.test(key)) {
        // Derived from a plain assumeRoleArn when there is one (the rule that the role is in this account then holds).
        const fromRole = /^arn:[^:]+:iam::(\d{12}):/.exec(plain(section, "assumeRoleArn") ?? "")?.[1];
        return {
            standIn: fromRole ?? String(100_000_000_000 + (parseInt(h.slice(0, 10), 16) % 899_999_999_999)),
            checked,
        };
    }
    if (/^model(Development|Hosting)\.profile$/.test(key)) return { standIn: token, checked: true };
    if (/^model(Development|Hosting)\.assumeRoleArn$/.test(key))
        return { standIn: `arn:${partition}:iam::${account(section)}:role/${token}`, checked };
    if (key === "modelDevelopment.kms.keyArn") {
        const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
        return {
            standIn: `arn:${partition}:kms:${region ?? "us-east-1"}:${account("modelDevelopment")}:key/${id}`,
            checked,
        };
    }
    if (/^modelHosting\.(kms\.invokers|troubleshooting\.allowAssumeFrom)\[\d+\]$/.test(key)) {
        return { standIn: `arn:${partition}:iam::${account("modelHosting")}:role/${token}`, checked };
    }
    if (/^models\[\d+\]\.s3Prefix$/.test(key)) return { standIn: `${token}/`, checked };
    if (
        /^modelDevelopment\.artifactBucket\.name$|^modelHosting\.execution(Role|Policy)Name$|^models\[\d+\]\.(name|tags\.[^.]+|smokeTest\.prompt)$/.test(
            key,
        )
    ) {
        return { standIn: token, checked };
    }
    // A region, a switch, a number or a whole section: which resources exist depends on it.
    return undefined;
}

export interface StandIns {
    /** The stack's config map with each secret value of the contract replaced by its stand-in. */
    map: Record<string, unknown>;
    secrets: SecretValue[];
    /** Secret keys the plan cannot do without (regions, switches, whole sections). */
    needed: string[];
}

/** Replaces the contract's secret values with stand-ins; `salt` (the stack) keeps two stacks' stand-ins apart. */
export function standInSecrets(map: Readonly<Record<string, unknown>>, salt: string): StandIns {
    const keys = secureKeys(map);
    const copy = JSON.parse(JSON.stringify(map)) as Record<string, unknown>;
    if (keys.length === 0) return { map: copy, secrets: [], needed: [] };
    const sectionOf = (s: string) => copy[`${CONFIG_NAMESPACE}:${s}`];
    const plain = (s: string, name: string) => {
        const section = sectionOf(s);
        const v = isObj(section) ? section[name] : undefined;
        return typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined;
    };
    const secrets: SecretValue[] = [];
    const needed: string[] = [];
    // Account ids first: the ARNs' stand-ins are in those accounts.
    const ordered = [...keys.filter((k) => k.endsWith(".accountId")), ...keys.filter((k) => !k.endsWith(".accountId"))];
    for (const key of ordered) {
        const s = standInFor(key, salt, plain);
        if (!s) {
            needed.push(key);
            continue;
        }
        setAt(copy, key, s.standIn);
        secrets.push({ key, ...s });
    }
    return { map: copy, secrets: keys.flatMap((k) => secrets.filter((s) => s.key === k)), needed };
}

/** Sets the value at a validator key (modelHosting.kms.invokers[1]) inside the qualified config map. */
function setAt(map: Record<string, unknown>, key: string, value: string): void {
    const parts = key.split(/\.|(?=\[)/).map((p) => (p.startsWith("[") ? Number(p.slice(1, -1)) : p));
    let node = map as Record<string | number, unknown>;
    let at: string | number = `${CONFIG_NAMESPACE}:${String(parts[0])}`;
    for (const p of parts.slice(1)) {
        node = node[at] as Record<string | number, unknown>;
        at = p;
    }
    node[at] = value;
}

/** `value` with every stand-in (longest first: ARNs hold account stand-ins) shown as [secret], in every string. */
export function hideSecrets<T>(value: T, secrets: readonly SecretValue[]): T {
    if (secrets.length === 0) return value;
    const standIns = [...new Set(secrets.map((s) => s.standIn))].sort((a, b) => b.length - a.length);
    const hide = (v: unknown): unknown => {
        if (typeof v === "string") return standIns.reduce((text, s) => text.split(s).join(SHOWN_AS), v);
        if (Array.isArray(v)) return v.map(hide);
        if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [hide(k) as string, hide(x)]));
        return v;
    };
    return hide(value) as T;
}

/** Whether a message is about a stand-in rather than the user's value. */
export function mentionsStandIn(text: string, secrets: readonly SecretValue[]): boolean {
    return secrets.some((s) => text.includes(s.standIn));
}

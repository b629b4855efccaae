// The one list of AWS regions the program knows, with the partition each belongs to, and the regions
// that offer Bedrock Custom Model Import. The partition matters for every ARN we build: `arn:aws-cn:...`
// in China, `arn:aws-us-gov:...` in GovCloud. Add a region here when AWS launches one; nothing else lists regions.

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

const REGIONS: Readonly<Record<string, Partition>> = {
    "af-south-1": "aws",
    "ap-east-1": "aws",
    "ap-east-2": "aws",
    "ap-northeast-1": "aws",
    "ap-northeast-2": "aws",
    "ap-northeast-3": "aws",
    "ap-south-1": "aws",
    "ap-south-2": "aws",
    "ap-southeast-1": "aws",
    "ap-southeast-2": "aws",
    "ap-southeast-3": "aws",
    "ap-southeast-4": "aws",
    "ap-southeast-5": "aws",
    "ap-southeast-6": "aws",
    "ap-southeast-7": "aws",
    "ca-central-1": "aws",
    "ca-west-1": "aws",
    "eu-central-1": "aws",
    "eu-central-2": "aws",
    "eu-north-1": "aws",
    "eu-south-1": "aws",
    "eu-south-2": "aws",
    "eu-west-1": "aws",
    "eu-west-2": "aws",
    "eu-west-3": "aws",
    "il-central-1": "aws",
    "me-central-1": "aws",
    "me-south-1": "aws",
    "mx-central-1": "aws",
    "sa-east-1": "aws",
    "us-east-1": "aws",
    "us-east-2": "aws",
    "us-west-1": "aws",
    "us-west-2": "aws",
    "cn-north-1": "aws-cn",
    "cn-northwest-1": "aws-cn",
    "us-gov-east-1": "aws-us-gov",
    "us-gov-west-1": "aws-us-gov",
};

export const AWS_REGIONS: readonly string[] = Object.keys(REGIONS).sort();

export function isAwsRegion(region: string): boolean {
    return Object.prototype.hasOwnProperty.call(REGIONS, region);
}

/** The ARN partition of a region; throws for a region that is not in the list. */
export function partitionOf(region: string): Partition {
    if (!isAwsRegion(region)) {
        throw new Error(`unknown AWS region "${region}"`);
    }
    return REGIONS[region];
}

/**
 * Regions where Amazon Bedrock Custom Model Import runs (the hosting side: import jobs and imported models).
 * Source: CMI_REGIONS_SOURCE. The artifacts' bucket may live in any region of the same partition.
 */
const CMI_REGIONS: readonly string[] = ["us-east-1", "us-east-2", "us-west-2", "eu-central-1"];
/** Regions where GPT-OSS models can be imported. Source: CMI_REGIONS_SOURCE. */
export const GPT_OSS_IMPORT_REGIONS: readonly string[] = ["us-east-1"];
const CMI_REGIONS_SOURCE = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-customization-import-model.html";

export function offersCustomModelImport(region: string): boolean {
    return CMI_REGIONS.includes(region);
}

/** Problems with any AWS region name (the development side); empty when valid. */
export function regionProblems(region: string): string[] {
    if (isAwsRegion(region)) return [];
    const near = AWS_REGIONS.filter((r) => r.startsWith(region.slice(0, 2)));
    return [
        `must be an AWS region name, got ${JSON.stringify(region)}${near.length ? ` (for example ${near.slice(0, 4).join(", ")})` : ""}`,
    ];
}

/** Problems with the hosting region: a region that offers Custom Model Import; empty when valid. */
export function cmiRegionProblems(region: string): string[] {
    if (!isAwsRegion(region))
        return [
            `must be a region that offers Amazon Bedrock Custom Model Import (${CMI_REGIONS.join(", ")}), got ` +
                `${JSON.stringify(region)}`,
        ];
    if (!offersCustomModelImport(region)) {
        return [
            `is ${region}, where Amazon Bedrock Custom Model Import is not offered; use one of ` +
                `${CMI_REGIONS.join(", ")} ` +
                `(AWS's list: ${CMI_REGIONS_SOURCE}). The artifact bucket may stay where it is.`,
        ];
    }
    return [];
}

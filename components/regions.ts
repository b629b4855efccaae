// The one list of AWS regions the program accepts, with the partition each belongs to.
// The partition matters for every ARN we build: `arn:aws-cn:...` in China, `arn:aws-us-gov:...` in GovCloud.
// Add a region here when AWS launches one; nothing else in the code lists regions.

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

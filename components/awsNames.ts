// AWS naming rules shared by the stack-config validator and the imported-model provider's `check`.
// Plain regular expressions only: this module is also serialized by value into the dynamic provider.

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Bedrock CreateModelImportJob.importedModelName (length 1-63 is checked separately). */
export const IMPORTED_MODEL_NAME = /^([0-9a-zA-Z][_-]?)+$/;

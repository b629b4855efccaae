// Loaded by .mocharc before the tests: the providers' progress lines (progress.ts) would fill the test output; the
// tests that check them inject their own sink, and the engine suite (its own config and environment) keeps them.
import { PROGRESS_ENV } from "../../components/dynamic/importedModel/progress";

process.env[PROGRESS_ENV] = "off";

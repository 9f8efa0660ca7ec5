// The exposition parsing helpers moved to `@tse/metrics-port/testing`, shared by every adapter.
export {
  familyTypes,
  findSamples,
  parseSamples,
  type Sample,
  sampleValue,
} from "@tse/metrics-port/testing";

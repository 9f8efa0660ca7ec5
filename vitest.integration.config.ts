import { testLayerConfig } from "./vitest.config.js";

/** The `integration` test layer: see `testLayerConfig`. */
export default testLayerConfig("integration");

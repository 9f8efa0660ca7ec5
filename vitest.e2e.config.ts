import { testLayerConfig } from "./vitest.config.js";

/** The `e2e` test layer: see `testLayerConfig`. */
export default testLayerConfig("e2e");

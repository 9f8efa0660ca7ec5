import { testLayerConfig } from "./vitest.config.js";

/** The `unit` test layer: see `testLayerConfig`. */
export default testLayerConfig("unit");

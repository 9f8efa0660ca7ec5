import { runServiceMain } from "@tse/service-kit";
import { serviceDefinition } from "./service-definition.js";

await runServiceMain(serviceDefinition);

// Loaded by mocha after the TypeScript hook (.mocharc.json): the tests run the program as Pulumi does, with the same
// shortcut.
import { skipCapturingPromiseStacks, skipMappingOfPromiseStacks } from "../../loader/promiseStacks";

skipMappingOfPromiseStacks();
skipCapturingPromiseStacks();

// Loaded by mocha after ts-node (.mocharc.json): the tests run the program as Pulumi does, with the same shortcut.
import { skipMappingOfPromiseStacks } from "../../loader/promiseStacks";

skipMappingOfPromiseStacks();

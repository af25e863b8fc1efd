/**
 * `@pulumi/pulumi`'s index loads its Automation API (`pulumi.automation`: execa, js-yaml, tail-file and more, 78
 * modules, about 80-90 ms of CPU) with everything else, while no program Pulumi runs calls it; only the release tool
 * does (release/stack/automationStack.ts). `deferAutomationApi` puts a stand-in for the API's index in node's module
 * cache: each export is read through to the real index, loaded on the first read, so `pulumi.automation.LocalWorkspace`
 * and `require("@pulumi/pulumi/automation").LocalWorkspace` are the same class. The SDK's index keeps the stand-in
 * itself (`__importStar` returns a module marked `__esModule` as it is), so nothing reads an export until it is used.
 */
"use strict";
const { deferModuleExports, deferModules } = require("./deferModule");

/** The Automation API's index, with every export it has (a test checks the list against the installed SDK). */
const DEFERRED = {
    "@pulumi/pulumi/automation": [
        "CommandResult", "PulumiCommand", "parseAndValidatePulumiVersion", "CommandError", "ConcurrentUpdateError", "StackNotFoundError",
        "StackAlreadyExistsError", "createCommandError", "Stack", "fullyQualifiedStackName", "stackSettingsSerDeKeys", "LocalWorkspace",
        "DiffKind", "RemoteStack", "RemoteWorkspace", "isFullyQualifiedStackName",
    ],
};

/**
 * @param {string} [from] the folder whose @pulumi/pulumi to defer in (deferModule's; the project's by default)
 * @returns {string[]} the modules deferred; none when the API is loaded already or cannot be found
 */
function deferAutomationApi(from) {
    return deferModules(DEFERRED, from, deferModuleExports);
}

module.exports = { deferAutomationApi, DEFERRED };

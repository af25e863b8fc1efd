/**
 * npm's warning, after an install, that the package.json's `allowScripts` has not decided some dependency's install
 * script, in each npm's words (lib/utils/reify-output.js, unreviewedScriptsMessage): npm 11.16+ runs such a script and
 * says "install scripts not yet covered by allowScripts"; npm 12 skips it and says "install scripts blocked because
 * they are not covered by allowScripts".
 */
export const UNDECIDED_INSTALL_SCRIPTS = /install scripts (not yet covered|blocked because they are not covered) by allowScripts/;

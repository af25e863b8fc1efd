/**
 * Importing `zod` loads every one of its 63 locales (`z.locales`, 64 of the 95 files zod loads, about half of its
 * load time), while the settings check uses only English, which zod configures from its own en module.
 * `deferZodLocales` puts a stand-in for the locales' index in node's module cache before zod loads: each locale is
 * a function, loaded with the real index on its first call (`z.config(z.locales.fr())` still works).
 */
"use strict";
const { deferModules } = require("./deferModule");

/** The index of zod's locales, with every export it has (a test checks the list against the installed zod). */
const DEFERRED = {
    "zod/v4/locales": [
        "ar", "az", "be", "bg", "bn", "ca", "ckb", "cs", "da", "de", "el", "en", "eo", "es", "fa", "fi", "fr", "frCA", "gu", "he", "hi",
        "hr", "hu", "hy", "id", "is", "it", "ja", "ka", "kh", "km", "kn", "ko", "lt", "mk", "ms", "ne", "nl", "nn", "no", "ota", "ps",
        "pl", "pt", "ptBR", "ro", "ru", "sk", "sl", "sv", "ta", "tg", "th", "tk", "tr", "ua", "uk", "ur", "uz", "vi", "zhCN", "zhTW", "yo",
    ],
};

/**
 * @param {string} [from] the folder whose zod to defer in (deferModule's; the project's by default)
 * @returns {string[]} the modules deferred; none when zod is loaded already or cannot be found
 */
function deferZodLocales(from) {
    return deferModules(DEFERRED, from);
}

module.exports = { deferZodLocales, DEFERRED };

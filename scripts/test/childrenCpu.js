// @ts-check
/**
 * CPU time (user + system) of the processes this one started and waited for, and theirs in turn: on a shared machine
 * wall time says how busy the others were, this says what the run itself cost. Linux only (/proc); undefined
 * elsewhere.
 */
"use strict";
const fs = require("fs");

/** Linux reports times in USER_HZ ticks, 100 per second on every architecture it runs on (proc(5), times(2)). */
const TICKS_PER_SECOND = 100;

/** @returns {number | undefined} seconds */
function childrenCpuSeconds() {
    let stat;
    try {
        stat = fs.readFileSync("/proc/self/stat", "utf8");
    } catch {
        return undefined;
    }
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): the 14th and
    // 15th of those are cutime and cstime (fields 16 and 17 of proc(5)).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

module.exports = { childrenCpuSeconds };

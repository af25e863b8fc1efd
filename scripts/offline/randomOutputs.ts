import { shortHash } from "./fakeIds";
import { OutputRules } from "./outputRules";

/** Outputs the random provider computes: it always makes `result` (@pulumi/random randomPassword.d.ts: "The generated random string"). */
export const randomOutputRules: OutputRules = {
    // `length` characters; hex digits are letters and digits, which `special: false` allows. Not random: the same each run.
    "random:index/randomPassword:RandomPassword": ({ inputs, name }) => {
        const length = Number(inputs.length ?? 16);
        let result = "";
        for (let i = 0; result.length < length; i++) result += shortHash(`${name}/${i}`, 64);
        return { result: result.slice(0, length) };
    },
};

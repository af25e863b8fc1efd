/**
 * A float64 as Go writes it at the shortest precision, strconv.FormatFloat(value, 'g', -1, 64): what fmt's %v prints
 * and yaml.v3's encoder writes (encode.go floatv). Exponent form below 1e-4 and from 1e+06, two exponent digits at
 * least, and the sign of a negative zero kept (-0, where String(-0) is "0").
 */
export function goFloatText(value: number): string {
    const [mantissa, exponentText] = value.toExponential().split("e");
    const exponent = Number(exponentText);
    if (exponent < -4 || exponent >= 6) return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return Object.is(value, -0) ? "-0" : String(value);
}

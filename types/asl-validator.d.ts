declare module "asl-validator" {
    interface ValidationResult {
        isValid: boolean;
        errors: { "Error code": string; Message: string }[];
    }
    function aslValidator(definition: object): ValidationResult;
    export = aslValidator;
}

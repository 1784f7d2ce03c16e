// asl-validator ships no types; only the entry point the tests use is declared.
declare module 'asl-validator' {
  interface AslValidatorResult {
    readonly isValid: boolean;
    readonly errors: readonly unknown[];
    readonly errorsText: (separator?: string) => string;
  }
  interface AslValidatorOptions {
    readonly checkPaths?: boolean;
    readonly checkArn?: boolean;
  }
  function aslValidator(definition: unknown, options?: AslValidatorOptions): AslValidatorResult;
  export = aslValidator;
}

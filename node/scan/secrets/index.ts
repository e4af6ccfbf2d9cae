// Secret detection: rules, the scanner, masking. Secrets leave only as preview + keyed hash.
export { createSecretScanner, type SecretScanner, type SecretScannerOptions } from './secret-scanner.ts'
export { DEFAULT_RULES, TOKEN_RULES, OPTIONAL_RULES, type SecretRule, type SecretSeverity } from './rules.ts'
export { GENERIC_RULE, GENERIC_XML_RULE } from './generic-rule.ts'
export { maskSecret, secretHash } from './mask.ts'
export { isPlaceholder } from './placeholder.ts'
export { shannonEntropy } from './entropy.ts'

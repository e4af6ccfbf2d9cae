// Generic secrets: a value of high entropy assigned to a name that says credential
// (password, secret, token, api key…), in the assignment syntaxes of common languages and
// config formats. Names that merely contain such a word without holding one (accessor,
// keyboard, public_key, token_url, secret_name…) and values that are versions, paths,
// hosts or code references are left alone.
import type { SecretRule } from './rules.ts'

/** Credential words; the name around them is up to 50 characters of identifier. */
const WORD = '(?:access|auth|api|credential|creds|key|passw(?:or)?d|pwd|secret|token)'
/** Assignment operators: = : := ::= :::= ?= => .= ||, and ',' between quoted args. */
const OP = '(?:=>|\\?=|:{1,3}=|\\.=|\\|\\|=?|=|:|,)'
const VALUE = '[A-Za-z0-9_.=~+/-]{10,150}'

/** What may stand between the name and the value: a type, a quote, spaces, the operator. */
const BETWEEN = (op: string) => `(?:[ \\t]+(?:string|str|String|const))?["'\`]?[ \\t]{0,3}${op}[ \\t]{0,3}[\`'"]?[ \\t]{0,3}`
/** How far before its credential word a name may begin. */
const NAME_LEAD = 50

const ASSIGNMENT = new RegExp(
  `(?<name>[A-Za-z0-9_.-]{0,${NAME_LEAD}}?${WORD}[A-Za-z0-9_.-]{0,20})${BETWEEN(`(?<op>${OP})`)}(?<s>${VALUE})(?=[\`'"\\s;,)<\\]}]|\\\\[nrt]|$)`,
  'gi',
)

/**
 * The assignment from its credential word on, the value cut to its shortest: every match of
 * ASSIGNMENT holds one, starting at most NAME_LEAD characters after the match does. Cheap to
 * search (it opens with the word, where ASSIGNMENT's lazy name makes the engine try up to 50
 * characters from every position), so the scan looks for it first and runs ASSIGNMENT only
 * from just before it.
 */
const ASSIGNMENT_CORE = new RegExp(`${WORD}[A-Za-z0-9_.-]{0,20}${BETWEEN(OP)}[A-Za-z0-9_.=~+/-]{10}`, 'gi')

/** Names that contain a credential word but do not hold a credential. */
const NAME_ALLOW = new RegExp([
  'access(?:ibility|or|ed|ible|es|ing)', 'access[_.-]?(?:id|level|log|mode|type|control|list|rights?)', 'random[_.-]?access',
  'api[_.-]?(?:id|name|version|url|uri|path|base|host|endpoint|doc|group|level|gateway|server|client|class|spec|service)',
  'rapid', 'capital', 'author', 'auth[_.-]?(?:source|type|method|mode|url|uri|provider|domain|name|header|scheme|results?|entication)',
  'credentials?[_.-]?(?:id|provider|type|url|uri|file|path|name|helper)', 'withcredentials', 'usernamepassword',
  '(?:bucket|foreign|hot|idx|index|natural|primary|pub(?:lic)?|schema|sequence|sort|partition|row|hash|cache|map|dict|object|lookup|unique|api)[_.-]?key',
  'key[_.-]?(?:alias|board|code|frame|id|length|mesh|name|pair|press(?:ed)?|ring|selector|signature|size|stone|store|storetype|tab|word|up|down|left|right|event|type|value|file|path|format|usage|spec|prefix|field|column|bind|map|set|space|chain|hash|count|index)',
  'key[_.-]?vault', 'keyvault', 'keying', '[dm]onkey', 'turkey', 'hockey', 'jockey', 'whiskey',
  'secret[_.-]?(?:length|name|size|ref|key[_.-]?ref|id|path|file|store|manager|provider|arn)', 'usersecretsid',
  'csrf[_.-]?token', 'xsrf', 'jsonwebtoken', 'token[_.-]?(?:endpoint|url|uri|file|type|path|expir\\w*|ttl|length|count|name|id|kind|source|store)',
  'public[_.-]?token', 'pubkey', 'passw(?:or)?d[_.-]?(?:policy|length|hint|field|prompt|label|rules?|reset|file|hash|strength|input)',
  'tokenizer', 'tokens?[_.-]?(?:izer|ize|ization)', 'keyword', 'keypath', 'apikey[_.-]?(?:name|id|header)',
].join('|'), 'i')

/**
 * Whether the name really says credential: the long words anywhere, the short ones (which
 * hide in rapid, monkey, napi, author…) only as a word of their own: at the start or end, next
 * to a separator or digit, or at a camelCase boundary.
 */
export function nameSaysCredential(name: string): boolean {
  if (/secret|token|passw|credential|creds|access/i.test(name)) return true
  const re = /apikey|authkey|api|key|pwd|auth/gi
  for (let m = re.exec(name); m !== null; m = re.exec(name)) {
    const before = name[m.index - 1]
    const first = m[0][0]!
    const after = name[m.index + m[0].length]
    const leftOk = before === undefined || !/[A-Za-z]/.test(before) || (/[a-z]/.test(before) && /[A-Z]/.test(first))
    const rightOk = after === undefined || !/[a-z]/.test(after)
    if (leftOk && rightOk) return true
  }
  return false
}

/** A code identifier made of words (createIDBKeyRangeBound, Ed25519PrivateKey, ENABLE_V8): not a secret. */
function isWordyIdentifier(v: string): boolean {
  // A dotted reference (c.generateX25519KeyPair) is wordy when each part is.
  if (v.includes('.')) return v.split('.').every((part) => part.length <= 3 || isWordyIdentifier(part))
  if (!/^[A-Za-z_$][\w$]*$/.test(v)) return false
  const segments = v.split(/[_$]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])/).filter(Boolean)
  if (segments.length > 8) return false
  if (!segments.every((g) => /^[A-Z]?[a-z]+$/.test(g) || /^[A-Z]{1,6}$/.test(g) || /^\d{1,5}$/.test(g))) return false
  const letters = segments.filter((g) => /^[A-Za-z]/.test(g))
  const inWords = letters.filter((g) => g.length >= 3).reduce((n, g) => n + g.length, 0)
  return inWords >= 0.5 * letters.reduce((n, g) => n + g.length, 0)
}

/** Token families with a rule of their own: that rule decides, the generic one stays out. */
const OWN_RULE_PREFIX = /^(?:xox[a-z.]*-|xapp-|gh[pousr]_|github_pat_|gl(?:pat|dt|rt|ptt|ft|soat|cbt|imt|agent|oas|ffct)-|[sr]k_(?:live|test|prod)_|A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|SG\.|npm_|pypi-AgEI)/

/** Values that are code, versions, paths or hosts rather than secrets. */
function valueLooksBenign(v: string): boolean {
  if (isWordyIdentifier(v)) return true
  // An assignment inside the value (ENABLE_X=false) or a credential word in it (my-secret-token).
  if (/=[^=]/.test(v) || /secret|passw|token|apikey|api_key/i.test(v)) return true
  if (/^\d+(?:\.\d+){1,3}(?:[-_.+][\w.-]*)?$/.test(v)) return true
  if (/(?:snapshot|release|alpha|beta)\b/i.test(v) && /\d+\.\d+/.test(v)) return true
  if (/^(?:rc|v)?\d+\.\d+\.\d+/i.test(v)) return true
  if (v.includes('/') && /^(?:\.{0,2}\/|[a-z]+:\/\/|[\w.-]+\/[\w.-]+\/)/i.test(v) && !/[+=]/.test(v)) return true
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?$/i.test(v) && /\.(?:com|net|org|io|dev|local|internal|lan|corp|[a-z]{2})(?::\d+)?$/i.test(v) && !/\d{6}/.test(v)) return true
  if (/\.(?:pem|p12|pfx|jks|crt|cer|key|keytab|der|json|ya?ml|xml|txt|properties|cfg|conf|ini|env)$/i.test(v)) return true
  // A code reference (Module.member, snake_case.identifier) without digits-heavy randomness.
  if (/^[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)+$/.test(v) && !/\d{3}/.test(v)) return true
  // Identifiers made of words: CamelCase or snake_case with few digits.
  if (/^(?:[A-Z]?[a-z]+){2,}\d{0,2}$/.test(v) || /^[A-Za-z]+(?:[_-][A-Za-z0-9]{1,12}){1,6}$/.test(v) && !/\d{2}/.test(v) && !/[A-Z].*[a-z].*[A-Z]/.test(v.replace(/[_-]/g, ''))) return true
  return false
}

export const GENERIC_RULE: SecretRule = {
  id: 'generic-secret', description: 'Secret assigned to a credential-named variable', severity: 'high',
  keywords: ['access', 'auth', 'api', 'credential', 'creds', 'key', 'passw', 'pwd', 'secret', 'token'],
  pattern: ASSIGNMENT,
  implied: { pattern: ASSIGNMENT_CORE, within: NAME_LEAD },
  minEntropy: 3.5,
  validate: (secret, m) => {
    const name = m.groups!.name!
    if (NAME_ALLOW.test(name) || !nameSaysCredential(name)) return false
    // ',' separates call arguments: only `f("NAME", "value")` counts, not lists of identifiers.
    if (m.groups!.op === ',' && !/["'`][ \t]*,[ \t]*["'`]/.test(m[0])) return false
    if (m.groups!.op === ':' && /^[a-z]+$/i.test(name) && name.length <= 3) return false
    if (!/[0-9]/.test(secret) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(secret)) return false
    if (OWN_RULE_PREFIX.test(secret)) return false
    return !valueLooksBenign(secret)
  },
}

/** XML elements named like credentials: `<apiToken>value</apiToken>`, across lines. */
export const GENERIC_XML_RULE: SecretRule = {
  id: 'generic-secret', description: 'Secret in a credential-named XML element', severity: 'high',
  keywords: ['access', 'auth', 'api', 'credential', 'key', 'passw', 'secret', 'token'],
  multiline: 400,
  opening: '<',
  pattern: new RegExp(`<(?<name>[A-Za-z0-9_.-]{0,50}?${WORD}[A-Za-z0-9_.-]{0,20})>\\s{0,50}(?<s>${VALUE})\\s{0,50}</\\k<name>>`, 'gi'),
  minEntropy: 3.5,
  validate: (secret, m) => !NAME_ALLOW.test(m.groups!.name!) && nameSaysCredential(m.groups!.name!) && !valueLooksBenign(secret),
}

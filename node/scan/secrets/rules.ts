// The secret rules ZeroTrace ships. Each names the token family it claims, keywords for
// the pre-filter (lowercase; a rule runs only where one occurs), a linear-time pattern whose
// `s` group is the secret, and an entropy floor where a shape alone would be too loose.
import { GENERIC_RULE, GENERIC_XML_RULE } from './generic-rule.ts'

export type SecretSeverity = 'critical' | 'high' | 'medium' | 'low'

export interface SecretRule {
  id: string
  description: string
  severity: SecretSeverity
  keywords: string[]
  /** Global regex; the named group `s` is the secret. */
  pattern: RegExp
  /**
   * A cheaper global regex that every match of `pattern` implies: a match starting at p has
   * one starting in [p, p + within]. The scan searches for it and starts `pattern` at most
   * `within` characters before it, and not at all where it is absent.
   */
  implied?: { pattern: RegExp, within: number }
  /** Text every match begins with (case-sensitive): windows without it are skipped, and the search starts at it. */
  opening?: string
  minEntropy?: number
  /** Match across lines (PEM blocks, XML elements): run on this many characters after the keyword's line start, not on the line. */
  multiline?: number
  /** How far past its keyword a match may reach on its line (default 320 characters). */
  reach?: number
  /** The part that must look random (entropy, placeholders); the whole secret by default. */
  checkPart?: (secret: string) => string
  /** Extra check on the secret and the whole match. */
  validate?: (secret: string, match: RegExpExecArray) => boolean
}

/** Left boundary: not preceded by a token character. */
const L = '(?<![A-Za-z0-9_])'
/** Right boundary: not followed by a token character. */
const R = '(?![A-Za-z0-9_])'

export const TOKEN_RULES: SecretRule[] = [
  {
    id: 'aws-access-key-id', description: 'AWS access key ID', severity: 'high',
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: new RegExp(`${L}(?<s>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'aws-secret-access-key', description: 'AWS secret access key', severity: 'critical',
    keywords: ['aws_secret', 'secret_access_key', 'secretaccesskey', 'aws-secret'],
    pattern: /(?:aws)?_?secret_?access_?key["']?\s{0,5}[:=]{1,2}>?\s{0,5}["']?(?<s>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi, minEntropy: 4,
  },
  {
    id: 'gcp-service-account', description: 'GCP service-account key file', severity: 'critical',
    keywords: ['service_account'],
    pattern: /"type"\s{0,5}:\s{0,5}"(?<s>service_account)"/g,
  },
  {
    id: 'azure-ad-client-secret', description: 'Azure AD (Entra ID) client secret', severity: 'high',
    keywords: ['q~'],
    pattern: /(?:^|[\\'"`\s>=:(,)])(?<s>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?=$|[\\'"`\s<),])/g, minEntropy: 3,
  },
  {
    id: 'azure-storage-account-key', description: 'Azure storage account key', severity: 'critical',
    keywords: ['accountkey'],
    pattern: /AccountKey=(?<s>[A-Za-z0-9+/]{86}==)/g, minEntropy: 4,
  },
  {
    id: 'github-pat', description: 'GitHub personal access token', severity: 'critical',
    keywords: ['ghp_'], pattern: new RegExp(`${L}(?<s>ghp_[A-Za-z0-9]{36})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'github-fine-grained-pat', description: 'GitHub fine-grained personal access token', severity: 'critical',
    keywords: ['github_pat_'], pattern: new RegExp(`${L}(?<s>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'github-oauth', description: 'GitHub OAuth access token', severity: 'critical',
    keywords: ['gho_'], pattern: new RegExp(`${L}(?<s>gho_[A-Za-z0-9]{36})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'github-app-token', description: 'GitHub App user-to-server or installation token', severity: 'critical',
    keywords: ['ghu_', 'ghs_'], pattern: new RegExp(`${L}(?<s>gh[us]_[A-Za-z0-9]{36})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'github-refresh-token', description: 'GitHub refresh token', severity: 'high',
    keywords: ['ghr_'], pattern: new RegExp(`${L}(?<s>ghr_[A-Za-z0-9]{36,76})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'gitlab-token', description: 'GitLab token (personal, project, deploy, runner, pipeline trigger, OAuth, feed…)', severity: 'critical',
    keywords: ['glpat-', 'gldt-', 'glrt-', 'glptt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'glffct-', 'gr1348941'],
    pattern: new RegExp(`${L}(?<s>(?:glpat|gldt|glrt|glcbt|glimt|glft|glffct|glsoat|gloas)-[A-Za-z0-9_.-]{20,64}|glptt-[0-9a-f]{40}|glagent-[A-Za-z0-9_-]{50,}|GR1348941[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_.-])`, 'g'), minEntropy: 3.2,
  },
  {
    id: 'slack-token', reach: 400, description: 'Slack bot, user, workspace or configuration token', severity: 'critical',
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxo-', 'xoxs-', 'xoxe-', 'xoxe.'],
    pattern: new RegExp(`(?<![A-Za-z0-9_.-])(?<s>${[
      'xoxe\\.xox[bp]-\\d-[A-Za-z0-9]{140,180}', // configuration access token
      'xoxe-\\d-[A-Za-z0-9]{130,160}', // configuration refresh token
      'xoxb-\\d{10,13}-\\d{10,13}-[A-Za-z0-9]{24,34}', // bot token
      'xox[pe](?:-\\d{10,13}){3}-[A-Za-z0-9]{28,34}', // user token
      'xoxb-\\d{8,14}-[A-Za-z0-9]{18,26}', // legacy bot token
      'xox[os]-\\d+-\\d+-\\d+-[A-Fa-f0-9]{10,}', // legacy token
      'xox[ar]-(?:\\d-)?[0-9A-Za-z]{8,48}(?:-[0-9A-Za-z]{2,48}){0,4}', // legacy workspace token
    ].join('|')})(?![A-Za-z0-9-])`, 'g'),
    minEntropy: 2.5,
    // The numeric segments are team and user ids; only the last segment is random.
    checkPart: (s) => s.slice(s.lastIndexOf('-') + 1),
  },
  {
    id: 'slack-app-token', description: 'Slack app-level token', severity: 'critical',
    keywords: ['xapp-'], pattern: new RegExp(`${L}(?<s>xapp-\\d-[A-Z0-9]+-\\d+-[a-z0-9]+)${R}`, 'gi'), minEntropy: 3,
  },
  {
    id: 'slack-webhook-url', description: 'Slack incoming webhook or workflow URL', severity: 'high',
    keywords: ['hooks.slack.com'],
    pattern: /(?<s>(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56}|(?:https?:\/\/)?hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Z0-9]+\/[A-Z0-9]+\/(?:\d+\/)?[A-Za-z0-9]{20,})/g,
  },
  {
    id: 'stripe-secret-key', description: 'Stripe secret or restricted key', severity: 'critical',
    keywords: ['sk_live', 'sk_test', 'sk_prod', 'rk_live', 'rk_test', 'rk_prod'],
    pattern: new RegExp(`${L}(?<s>(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'twilio-api-key', description: 'Twilio API key SID with its secret context', severity: 'high',
    keywords: ['twilio'],
    pattern: new RegExp(`${L}(?<s>SK[0-9a-fA-F]{32})${R}`, 'g'), minEntropy: 3,
  },
  {
    id: 'sendgrid-api-key', description: 'SendGrid API key', severity: 'critical',
    keywords: ['sg.'], pattern: new RegExp(`${L}(?<s>SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])`, 'g'), minEntropy: 3,
  },
  {
    id: 'npm-access-token', description: 'npm access token', severity: 'critical',
    keywords: ['npm_'], pattern: new RegExp(`${L}(?<s>npm_[A-Za-z0-9]{36})${R}`, 'gi'), minEntropy: 3,
  },
  {
    id: 'pypi-upload-token', description: 'PyPI upload token', severity: 'critical',
    keywords: ['pypi-ageichlwas5vcmc'], pattern: /(?<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/g, minEntropy: 3,
  },
  {
    id: 'private-key', description: 'Private key (PEM, OpenSSH, PGP)', severity: 'critical',
    keywords: ['private key'], multiline: 64 * 1024, opening: '-----BEGIN',
    pattern: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?<s>[A-Za-z0-9+/=\s:-]{64,}?)-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g,
    validate: (body) => body.replace(/\s+/g, '').length >= 48,
  },
  {
    id: 'jwt', description: 'JSON Web Token', severity: 'medium',
    keywords: ['eyj'],
    pattern: new RegExp(`${L}(?<s>ey[A-Za-z0-9]{17,}\\.ey[A-Za-z0-9/\\\\_-]{17,}\\.(?:[A-Za-z0-9/\\\\_-]{10,}={0,2})?)(?=['"\\s\`;|&]|$)`, 'g'),
    minEntropy: 3, reach: 16 * 1024,
  },
]

/**
 * Off by default: Google API keys are routinely public by design (browser and Firebase keys
 * restricted by referrer), so flagging every one buries the findings that matter.
 * Enable with rules: [...DEFAULT_RULES, ...OPTIONAL_RULES].
 */
export const OPTIONAL_RULES: SecretRule[] = [
  {
    id: 'gcp-api-key', description: 'Google API key', severity: 'high',
    keywords: ['aiza'],
    pattern: new RegExp(`${L}(?<s>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])`, 'g'), minEntropy: 4,
  },
]

export const DEFAULT_RULES: SecretRule[] = [...TOKEN_RULES, GENERIC_RULE, GENERIC_XML_RULE]

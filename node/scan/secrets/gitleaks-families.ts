// Which gitleaks rule ids (the labelled corpus in ../shared/data/secrets) each of our rules
// claims: the families we answer for in recall and false-positive figures.
export const CLAIMS: Record<string, string> = {
  'aws-access-token': 'aws-access-key-id',
  'azure-ad-client-secret': 'azure-ad-client-secret',
  'gcp-service-account': 'gcp-service-account',
  'generic-api-key': 'generic-secret',
  'github-app-token': 'github-app-token',
  'github-fine-grained-pat': 'github-fine-grained-pat',
  'github-oauth': 'github-oauth',
  'github-pat': 'github-pat',
  'github-refresh-token': 'github-refresh-token',
  'gitlab-cicd-job-token': 'gitlab-token',
  'gitlab-deploy-token': 'gitlab-token',
  'gitlab-feature-flag-client-token': 'gitlab-token',
  'gitlab-feed-token': 'gitlab-token',
  'gitlab-incoming-mail-token': 'gitlab-token',
  'gitlab-kubernetes-agent-token': 'gitlab-token',
  'gitlab-oauth-app-secret': 'gitlab-token',
  'gitlab-pat': 'gitlab-token',
  'gitlab-pat-routable': 'gitlab-token',
  'gitlab-ptt': 'gitlab-token',
  'gitlab-rrt': 'gitlab-token',
  'gitlab-runner-authentication-token': 'gitlab-token',
  'gitlab-runner-authentication-token-routable': 'gitlab-token',
  'gitlab-scim-token': 'gitlab-token',
  'jwt': 'jwt',
  'npm-access-token': 'npm-access-token',
  'private-key': 'private-key',
  'pypi-upload-token': 'pypi-upload-token',
  'sendgrid-api-token': 'sendgrid-api-key',
  'slack-app-token': 'slack-app-token',
  'slack-bot-token': 'slack-token',
  'slack-config-access-token': 'slack-token',
  'slack-config-refresh-token': 'slack-token',
  'slack-legacy-bot-token': 'slack-token',
  'slack-legacy-token': 'slack-token',
  'slack-legacy-workspace-token': 'slack-token',
  'slack-user-token': 'slack-token',
  'slack-webhook-url': 'slack-webhook-url',
  'stripe-access-token': 'stripe-secret-key',
  'twilio-api-key': 'twilio-api-key',
}

export interface LabelledCase { rule_id: string, true_positives: string[], false_positives: string[] }

export interface FamilyScore { rule: string, tp: number, found: number, fp: number, flagged: number, missed: string[], falseHits: string[] }

/** Recall and false positives per claiming rule over the labelled gitleaks cases. */
export function scoreFamilies(cases: LabelledCase[], scan: (text: string) => { rule: string }[]): Map<string, FamilyScore> {
  const scores = new Map<string, FamilyScore>()
  for (const c of cases) {
    const rule = CLAIMS[c.rule_id]
    if (!rule) continue
    const s = scores.get(rule) ?? { rule, tp: 0, found: 0, fp: 0, flagged: 0, missed: [], falseHits: [] }
    for (const tp of c.true_positives) {
      s.tp++
      if (scan(tp).some((h) => h.rule === rule)) s.found++
      else s.missed.push(`${c.rule_id}: ${tp}`)
    }
    for (const fp of c.false_positives) {
      s.fp++
      const hits = scan(fp)
      if (hits.length > 0) { s.flagged++; s.falseHits.push(`${c.rule_id} (${hits.map((h) => h.rule).join(',')}): ${fp}`) }
    }
    scores.set(rule, s)
  }
  return scores
}

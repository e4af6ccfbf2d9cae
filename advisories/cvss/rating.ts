// The qualitative severity rating scale CVSS v3.x and v4.0 share (v3.1 §5, v4.0 §6).

export type CvssRating = 'None' | 'Low' | 'Medium' | 'High' | 'Critical'

/** None 0.0, Low 0.1–3.9, Medium 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0. */
export function cvssRating(score: number): CvssRating {
  if (!(score >= 0 && score <= 10)) throw new RangeError(`a CVSS score lies in 0–10, not ${score}`)
  if (score === 0) return 'None'
  if (score < 4) return 'Low'
  if (score < 7) return 'Medium'
  if (score < 9) return 'High'
  return 'Critical'
}

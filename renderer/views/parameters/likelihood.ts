// Whether a target's loss reads as a negative log-likelihood, where Δloss = 1.92 is the 95 % χ²₁
// profile-likelihood cut-off. The store does not say (diagnostics stay in the shards), so the
// target's name decides the default; the user can switch the cut-off on or off for any target.
export const DEFAULT_DELTA = 1.92;

export function looksLikeLikelihood(target: string): boolean {
  return /log_?lik|likelihood|(^|_)nll($|_)/i.test(target);
}

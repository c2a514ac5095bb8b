/**
 * The academic year (`codAnu`, e.g. 2026 for 2026-2027) that a campaign message received at this date
 * belongs to: from March on, the year that starts in September; in January-February, the current
 * one. An establishment pins it with CAMPAGNE_COD_ANU.
 */
export function anneeCampagne(aujourdHui: string, forcee?: string): string {
  if (forcee) return forcee;
  const annee = Number(aujourdHui.slice(0, 4));
  const mois = Number(aujourdHui.slice(5, 7));
  return String(mois >= 3 ? annee : annee - 1);
}

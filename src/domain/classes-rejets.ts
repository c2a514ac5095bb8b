/**
 * The classes of rejects that cost most in a campaign, for the dashboard: each catalogue code in one
 * class, by what it is about. A refusal with several codes counts once per class it touches.
 */
import type { CodeErreur } from './errors';

export const CLASSES_REJETS = ['boursiers', 'profil', 'ine', 'cvec', 'doublon', 'formation', 'autre'] as const;
export type ClasseRejet = (typeof CLASSES_REJETS)[number];

export const LIBELLES_CLASSES: Record<ClasseRejet, string> = {
  boursiers: 'Boursiers',
  profil: 'Profil exonérant',
  ine: 'INE / INES',
  cvec: 'CVEC',
  doublon: 'Doublons',
  formation: 'Formation (étape, version, régime)',
  autre: 'Autres',
};

export function classeDe(code: CodeErreur | string): ClasseRejet {
  if (/BOURS/.test(code)) return 'boursiers';
  if (/PROFIL|EXONER/.test(code)) return 'profil';
  if (/^INES?_/.test(code)) return 'ine';
  if (/CVEC/.test(code)) return 'cvec';
  if (/DOUBL|LIGNE_CONTRADICTOIRE/.test(code)) return 'doublon';
  if (/ETAPE|VERSION|REGIME|DIPLOME|FORMATION|CGE/.test(code)) return 'formation';
  return 'autre';
}

/** Counts per class from rows `codes` (comma-separated) × how many rows had exactly them. */
export function compterParClasse(lignes: { codes: string | null; n: number }[]): Record<ClasseRejet, number> {
  const total = Object.fromEntries(CLASSES_REJETS.map((c) => [c, 0])) as Record<ClasseRejet, number>;
  for (const l of lignes) {
    const classes = new Set((l.codes ?? '').split(',').filter(Boolean).map(classeDe));
    if (!classes.size) classes.add('autre');
    for (const c of classes) total[c] += l.n;
  }
  return total;
}

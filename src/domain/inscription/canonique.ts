/** Canonical form of an enrolment request, the same for every door (REST JSON, SOAP arguments). */
import { nettoyer } from '../opi/canonique';
import { normaliserIne } from '../identifiers/ine';
import { normaliserCodEtu, normaliserCodOpi } from '../identifiers/individu';
import { normaliserCvec } from './droits';

/** Canonical request: nil/""/absent alike, codes upper-cased, digit strings → ints, 'true'/'false' → booleans. */
export function canoniserDemande(brut: unknown): unknown {
  if (brut === null || typeof brut !== 'object' || Array.isArray(brut)) return brut;
  const d = (nettoyer(brut) ?? {}) as Record<string, unknown>;
  if (typeof d.codOpiIntEpo === 'string') d.codOpiIntEpo = normaliserCodOpi(d.codOpiIntEpo);
  for (const k of ['codEtp', 'profilExonerant', 'numBoursier', 'cursus']) if (typeof d[k] === 'string') d[k] = (d[k] as string).toUpperCase();
  if (typeof d.ine === 'string') d.ine = normaliserIne(d.ine);
  if (typeof d.numeroCvec === 'string') d.numeroCvec = normaliserCvec(d.numeroCvec);
  if (typeof d.codVrsVet === 'string' && /^\d{1,6}$/.test(d.codVrsVet)) d.codVrsVet = Number(d.codVrsVet);
  if (typeof d.codEtu === 'string' && /^\d+$/.test(d.codEtu)) d.codEtu = normaliserCodEtu(d.codEtu);
  if (d.boursier === 'true' || d.boursier === 'false') d.boursier = d.boursier === 'true';
  return d;
}

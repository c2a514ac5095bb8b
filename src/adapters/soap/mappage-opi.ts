/**
 * SOAP DTO (DonneesOpiDTO10 as node-soap parsed it) → canonical OPI record (the REST JSON shape).
 * Decided once, here, and pinned by golden samples in the tests:
 * - `xsi:nil`, absent and `""` are alike (the canonicaliser drops them);
 * - `voeux` is a TableauVoeu3 (`modEnv`, then `item*`) → a plain array. No item at all (or a nil
 *   `voeux`) = the stored vœux are kept, as Apogée does; items present = the exact new set, and a lone
 *   all-nil item (eCandidat's way to delete every vœu) = an empty set. `modEnv` is accepted and ignored;
 * - dates travel as `ddMMyyyy` → ISO `YYYY-MM-DD`; a value that is not a real date is passed on as
 *   it is, so the schema reports DATE_INVALIDE at the same path as REST would;
 * - ints arrive as raw strings: digits → number; anything else is passed on, so the schema reports
 *   TYPE_INVALIDE at the field's path.
 * Which fields are integers, decimals or dates is read from opi.schema.json (type integer, type number,
 * format date), not listed here: src/application/champs.ts.
 */
import { parseDateApogee } from '../../domain/dates';
import { DATES_OPI as DATES, DECIMAUX_OPI as DECIMAUX, ENTIERS_OPI as ENTIERS } from '../../application/champs';

export function soapOpiVersCanonique(dto: unknown): unknown {
  if (dto === null || dto === undefined || typeof dto !== 'object') return dto ?? {};
  const sortie = convertir(dto) as Record<string, unknown>;
  const voeux = (dto as Record<string, unknown>).voeux as { item?: unknown } | null | undefined;
  const items = voeux && typeof voeux === 'object' ? voeux.item : undefined;
  const liste = items === undefined || items === null ? [] : Array.isArray(items) ? items : [items];
  if (liste.length === 0) delete sortie.voeux;
  else sortie.voeux = liste.map((i) => convertir(i ?? {}));
  return sortie;
}

function convertir(valeur: unknown, cle = ''): unknown {
  if (valeur === null || valeur === undefined) return undefined;
  if (Array.isArray(valeur)) return valeur.map((v) => convertir(v));
  if (typeof valeur === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(valeur as Record<string, unknown>)) {
      if (k === 'attributes' || k === '$attributes' || k === '$xml') continue;
      const c = convertir(v, k);
      if (c !== undefined) o[k] = c;
    }
    return o;
  }
  if (typeof valeur === 'string') {
    const t = valeur.trim();
    if (ENTIERS.has(cle) && /^[+-]?\d+$/.test(t)) return Number(t);
    if (DECIMAUX.has(cle) && /^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
    if (DATES.has(cle)) return parseDateApogee(t) ?? valeur;
    return valeur;
  }
  return valeur;
}

/**
 * A file's chunk of checked OPIs written in a few statements instead of four or five per row: one
 * locking read of the stored states, multi-row INSERTs of the new individus (and one read of their
 * ids) and of the vœux, one duplicate search for the whole chunk, one INSERT of the pairs found.
 * What is stored and answered is what writing the rows one after the other, in the chunk's order,
 * gives: a row's possible duplicates are the individus stored before the chunk and the rows of the
 * chunk before it (the rows after it as they were before the chunk).
 */
import type { IdentiteOpi } from '../domain/opi/doublons';
import { clesDeRecherche, detecterDoublons, partageUnCritere } from '../domain/opi/doublons';
import type { DoublonOpiLigne } from './enregistrements';
import type { Depots, LigneIndividu } from './ports';
import type { OpiPreparee, ResultatEcriture, ResultatUpsertOpi } from './opi';
import { empreinteOpi, identiteDe, ligneDoublon, ligneIndividu, ligneVoeu, resultatUpsert } from './opi-lignes';

/** As the single search (`LIMIT 50`): a row with more candidates than that is an anomaly for staff, not a list to store whole. */
const CANDIDATS_MAX = 50;

interface Ecrit {
  ligne: Omit<LigneIndividu, 'version' | 'creeLe'>;
  identite: IdentiteOpi;
  resultat: ResultatEcriture;
  version: number;
}

/** Every OPI carries its vœux and no number repeats (the caller writes row by row otherwise). */
export async function ecrirePaquetOpi(
  items: readonly OpiPreparee[],
  d: Depots,
  e: { client: string; codAnu: (aujourdHui: string) => string },
): Promise<ResultatUpsertOpi[]> {
  const depot = d.opi;
  const codes = items.map((p) => p.opi.individu.codOpiIntEpo);
  const etats = await depot.etatsPourMiseAJour(codes);
  const identites = items.map((p) => identiteDe(p.opi));
  // Before any write: the rows after a given one are seen as they were before the chunk.
  const stockes = await depot.partageantUnCritere(identites);
  const connus = await depot.pairesConnues([...etats.values()].map((x) => x.id));
  const maintenant = new Date();

  const ecrits: Ecrit[] = items.map((p, k) => {
    const empreinte = p.empreinte ?? empreinteOpi(p.donneesSansVoeux, p.opi.voeux!);
    const existant = etats.get(codes[k]);
    const ligne = ligneIndividu(p.opi, identites[k], {
      donnees: p.donneesSansVoeux,
      empreinte,
      source: e.client,
      modifieLe: maintenant,
      codAnu: e.codAnu(p.aujourdHui),
    });
    const resultat: ResultatEcriture = !existant ? 'CREE' : existant.empreinte === empreinte ? 'INCHANGE' : 'MIS_A_JOUR';
    const version = !existant ? 1 : resultat === 'INCHANGE' ? existant.version : existant.version + 1;
    return { ligne, identite: { ...identites[k], codOpiIntEpo: codes[k], id: existant?.id ?? 0 }, resultat, version };
  });

  const nouveaux = ecrits.filter((x) => x.resultat === 'CREE');
  const ids = await depot.creerPlusieurs(nouveaux.map((x) => ({ ...x.ligne, version: 1, creeLe: maintenant })));
  for (const x of nouveaux) {
    const id = ids.get(x.identite.codOpiIntEpo);
    if (id === undefined) throw new Error(`individu_opi ${x.identite.codOpiIntEpo} inséré mais introuvable`);
    x.identite.id = id;
  }
  const misAJour = ecrits.filter((x) => x.resultat === 'MIS_A_JOUR');
  for (const x of misAJour) await depot.mettreAJour(x.identite.id, { ...x.ligne, version: x.version });
  await depot.remplacerVoeuxDePlusieurs(
    misAJour.map((x) => x.identite.id),
    ecrits.flatMap((x, k) =>
      x.resultat === 'INCHANGE'
        ? []
        : items[k].opi.voeux!.map((v, rang) => ({ ...ligneVoeu(v, rang, items[k].voeuxJson?.[rang]), individuOpiId: x.identite.id })),
    ),
  );

  // The duplicate search, row after row in memory: the stored candidates, less the rows of the chunk
  // already passed (those are taken as written, from the index of the chunk's identities).
  const rangDansPaquet = new Map(codes.map((c, k) => [c, k]));
  const passes = new Map<string, number[]>();
  const paires: Omit<DoublonOpiLigne, 'id'>[] = [];
  const resultats: ResultatUpsertOpi[] = [];
  ecrits.forEach((x, k) => {
    const moi = x.identite;
    const candidats: IdentiteOpi[] = [];
    for (const c of stockes) {
      const j = rangDansPaquet.get(c.codOpiIntEpo);
      if (c.id !== moi.id && (j === undefined || j > k) && partageUnCritere(moi, c)) candidats.push(c);
    }
    const vus = new Set<number>();
    for (const cle of clesDeRecherche(moi)) {
      const avant = passes.get(cle);
      if (!avant) {
        passes.set(cle, [k]);
        continue;
      }
      for (const j of avant) {
        if (vus.has(j)) continue;
        vus.add(j);
        candidats.push(ecrits[j].identite);
      }
      avant.push(k);
    }
    const trouves = detecterDoublons(moi, candidats.slice(0, CANDIDATS_MAX));
    const deja = connus.get(moi.id);
    for (const t of trouves) if (!deja?.has(`${t.existant.id}|${t.motif}`)) paires.push(ligneDoublon(moi, t, maintenant));
    resultats.push(resultatUpsert(x.resultat, moi.codOpiIntEpo, x.version, items[k].avertissementsInes, trouves, items[k].opi.voeux!));
  });
  await depot.ajouterDoublons(paires);
  return resultats;
}

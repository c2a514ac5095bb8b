/* Le catalogue des nomenclatures livrées (fixtures/nomenclatures/*.json), pour les tests unitaires du domaine. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CatalogueEnMemoire, type EntreeNomenclature } from '../../src/domain/nomenclatures';

/** Depuis dist/test/helpers : la racine du dépôt est trois niveaux plus haut. */
const DOSSIER = path.resolve(__dirname, '..', '..', '..', 'fixtures', 'nomenclatures');

/** Les données brutes des fixtures, par nom de nomenclature (copie neuve à chaque appel : modifiable sans effet de bord). */
export function donneesFixtures(): Record<string, EntreeNomenclature[]> {
  const donnees: Record<string, EntreeNomenclature[]> = {};
  for (const f of readdirSync(DOSSIER)
    .filter((x) => x.endsWith('.json'))
    .sort()) {
    const d = JSON.parse(readFileSync(path.join(DOSSIER, f), 'utf8')) as { nom: string; codes: EntreeNomenclature[] };
    donnees[d.nom] = d.codes;
  }
  return donnees;
}

/** Le catalogue des nomenclatures livrées ; `modifier` permet d'ajuster une copie des données avant construction. */
export function catalogueFixtures(modifier?: (d: Record<string, EntreeNomenclature[]>) => void): CatalogueEnMemoire {
  const donnees = donneesFixtures();
  modifier?.(donnees);
  return new CatalogueEnMemoire(donnees);
}

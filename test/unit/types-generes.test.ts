import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { genererTypes } from '../../scripts/gen-types';

/* Les types committés, lus à la racine du dépôt (pas dans dist/). */
const DOSSIER_GENERES = path.resolve(__dirname, '..', '..', '..', 'src', 'generated');
const CONSEIL = 'src/generated/ est périmé par rapport à schemas/ : lancez `npm run gen:types` et committez le résultat.';

describe('types générés (src/generated) à jour avec schemas/*.schema.json', function () {
  this.timeout(20_000);

  let generes: Record<string, string>;
  before(async () => {
    generes = await genererTypes();
  });

  it('un fichier généré par schéma, ni plus ni moins', () => {
    const commites = readdirSync(DOSSIER_GENERES)
      .filter((f) => f.endsWith('.ts'))
      .sort();
    expect(Object.keys(generes).sort(), CONSEIL).to.deep.equal(commites);
    expect(Object.keys(generes), 'aucun schéma trouvé').to.include('opi.ts');
  });

  it('contenu identique au fichier committé', () => {
    for (const [nom, contenu] of Object.entries(generes)) {
      const commite = readFileSync(path.join(DOSSIER_GENERES, nom), 'utf8');
      // Pas de diff géant dans le message : le conseil suffit, avec la première ligne qui diffère.
      if (contenu !== commite) {
        const a = contenu.split('\n');
        const b = commite.split('\n');
        const d = a.findIndex((l, k) => l !== b[k]);
        const i = d === -1 ? a.length : d; // le généré est un préfixe du committé
        expect.fail(`src/generated/${nom} : ligne ${i + 1} attendue ${JSON.stringify(a[i])}, trouvée ${JSON.stringify(b[i])}. ${CONSEIL}`);
      }
    }
  });

  it('bandeau « ne pas modifier à la main » présent', () => {
    expect(generes['opi.ts']).to.match(/^\/\* Généré depuis schemas\/opi\.schema\.json par `npm run gen:types`/);
  });
});

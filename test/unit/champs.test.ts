import { expect } from 'chai';
import {
  CHAMPS_IA,
  CHAMPS_LP,
  CHAMPS_LP_V1,
  COLONNES_FICHIER_LP,
  DATES_LP,
  DATES_OPI,
  DECIMAUX_OPI,
  ENTIERS_LP,
  ENTIERS_OPI,
  genresDesChamps,
  placesV2,
} from '../../src/application/champs';
import { problemesSchema, schema } from '../../src/application/validation';
import { documentOpenApi } from '../../src/adapters/rest/openapi';
import { canoniserLp } from '../../src/domain/lp/canonique';
import * as generes from '../../src/generated/champs';

describe('listes de champs dérivées des schémas (src/application/champs.ts)', () => {
  it("les mêmes listes, dans le même ordre, que les copies tenues à la main jusqu'ici", () => {
    // chargements.ts COLONNES_LP, laissez-passer.ts versLp, inscription-metier.ts CHAMPS_CREATION, laissez-passer-metier.ts CHAMPS_V1.
    expect(COLONNES_FICHIER_LP).to.deep.equal([
      'typLpa',
      'codAnu',
      'numOPI',
      'codEtu',
      'codEtp',
      'codVrsVet',
      'codDip',
      'codVrsVdi',
      'codRgi',
      'codStu',
      'libCmtLpa',
      'codCatOuiSi',
      'mtfCat',
      'codCatExoExt',
      'ine',
      'codCge',
      'dateDebutValidite',
      'dateFinValidite',
      'codOpiIntEpo',
    ]);
    expect(CHAMPS_LP).to.deep.equal([
      'typLpa',
      'codAnu',
      'codOpiIntEpo',
      'codEtu',
      'ine',
      'codEtp',
      'codVrsVet',
      'codDip',
      'codVrsVdi',
      'codCge',
      'codRgi',
      'codStu',
      'codCatOuiSi',
      'mtfCat',
      'codCatExoExt',
      'libCmtLpa',
      'dateDebutValidite',
      'dateFinValidite',
    ]);
    expect(CHAMPS_IA).to.deep.equal([
      'codAnu',
      'codOpiIntEpo',
      'codEtu',
      'ine',
      'codEtp',
      'codVrsVet',
      'numeroCvec',
      'boursier',
      'numBoursier',
      'profilExonerant',
      'codPayNat',
      'cursus',
    ]);
    expect(CHAMPS_LP_V1).to.deep.equal(['typLpa', 'codAnu', 'numOPI', 'codEtu', 'codEtp', 'codVrsVet', 'codDip', 'codVrsVdi', 'codRgi', 'codStu', 'libCmtLpa']);
    // mappage-opi.ts ENTIERS, DECIMAUX, DATES ; lp/canonique.ts ENTIERS, DATES.
    expect([...ENTIERS_OPI]).to.have.members([
      'codEtuOpi',
      'codVrsVdi',
      'codVrsVet',
      'numCls',
      'codNif',
      'codDis',
      'codPerDir',
      'codPerCdr',
      'codPerCdr2',
      'dhhCvc',
      'dmnCvc',
    ]);
    expect([...DECIMAUX_OPI]).to.have.members(['nbrCrdCur']);
    expect([...DATES_OPI]).to.have.members(['dateNaiIndOpi', 'datCvc']);
    expect([...ENTIERS_LP]).to.have.members(['codVrsVet', 'codVrsVdi']);
    expect([...DATES_LP]).to.have.members(['dateDebutValidite', 'dateFinValidite']);
  });

  it('COLONNES_FICHIER_LP est dérivée de x-v2 : noms V2 par rang, puis le nom canonique des champs renommés', () => {
    const places = placesV2(schema('laissez-passer'));
    expect(COLONNES_FICHIER_LP.slice(0, places.length)).to.deep.equal(places.map((p) => p.nom));
    expect(COLONNES_FICHIER_LP.slice(places.length)).to.deep.equal(places.filter((p) => p.nom !== p.champ).map((p) => p.champ));
    expect(new Set(COLONNES_FICHIER_LP).size).to.equal(COLONNES_FICHIER_LP.length);
  });

  it("chaque nom V2 d'un champ renommé est un synonyme que la forme canonique comprend", () => {
    for (const p of placesV2(schema('laissez-passer')).filter((x) => x.nom !== x.champ)) {
      expect(canoniserLp({ [p.nom]: 'EC26000001' }), p.nom)
        .to.include({ [p.champ]: 'EC26000001' })
        .and.not.have.property(p.nom);
    }
  });

  it('src/generated/champs.ts (copie pure pour le domaine) dit la même chose que la dérivation', () => {
    expect([...generes.ENTIERS_LP]).to.deep.equal([...ENTIERS_LP]);
    expect([...generes.DATES_LP]).to.deep.equal([...DATES_LP]);
  });

  it('un même nom de champ entier ici et texte là est refusé (les portes convertissent par nom)', () => {
    const racine = {
      $id: 'urn:candidature-gateway:schema:essai',
      type: 'object',
      properties: { a: { $ref: '#/$defs/A' }, b: { type: 'object', properties: { codX: { type: 'string' } } } },
      $defs: { A: { type: 'object', properties: { codX: { type: 'integer' } } } },
    };
    expect(() => genresDesChamps(racine, schema)).to.throw(/codX est entier ailleurs et autre/);
  });

  it('x-v2 : un rang manquant ou en double est refusé', () => {
    const lp = schema('laissez-passer');
    const props = lp.properties as Record<string, Record<string, unknown>>;
    props.codEtu = { ...props.codEtu, 'x-v2': { rang: 3, origine: 'apogee-v1' } };
    expect(() => placesV2(lp)).to.throw(/rangs x-v2/);
    delete props.codEtu['x-v2'];
    expect(() => placesV2(lp)).to.throw(/codEtu : annotation x-v2 manquante/);
  });
});

describe('bloc individu / année / formation partagé (schemas/commun.schema.json)', () => {
  const PARTAGES: Record<string, string> = {
    codAnu: 'AnneeUniversitaire',
    codOpiIntEpo: 'NumeroOpi',
    codEtu: 'NumeroEtudiant',
    ine: 'Ine',
    codEtp: 'Etape',
    codVrsVet: 'VersionEtape',
  };

  it("le laissez-passer et la demande d'inscription se réfèrent aux mêmes définitions", () => {
    for (const nom of ['laissez-passer', 'inscription']) {
      const props = schema(nom).properties as Record<string, Record<string, unknown>>;
      for (const [champ, def] of Object.entries(PARTAGES)) {
        expect(props[champ].$ref, `${nom}.${champ}`).to.equal(`urn:candidature-gateway:schema:commun#/$defs/${def}`);
      }
    }
  });

  it("mêmes codes d'erreur et chemins qu'avant le partage, par les deux enregistrements", () => {
    const mauvais = { codAnu: '26', codOpiIntEpo: 'ab-c', codEtu: '12x', ine: '123456789012', codEtp: 'ETAPE77', codVrsVet: '2' };
    const attendus = [
      { code: 'FORMAT_INVALIDE', path: 'codAnu' },
      { code: 'CODE_OPI_INVALIDE', path: 'codOpiIntEpo' },
      { code: 'FORMAT_INVALIDE', path: 'codEtu' },
      { code: 'LONGUEUR_MAX_DEPASSEE', path: 'ine' },
      { code: 'LONGUEUR_MAX_DEPASSEE', path: 'codEtp' },
      { code: 'TYPE_INVALIDE', path: 'codVrsVet' },
    ];
    for (const nom of ['laissez-passer', 'inscription']) {
      const p = problemesSchema(nom, mauvais, 'lignes[2]').map(({ code, path }) => ({ code, path: path.replace(/^lignes\[2\]\./, '') }));
      expect(p, nom).to.have.deep.members(attendus);
    }
    expect(problemesSchema('inscription', { codAnu: '2026', codEtp: 'MINF1', codVrsVet: 1000 }).map((x) => [x.code, x.path])).to.deep.equal([
      ['VALEUR_HORS_BORNES', 'codVrsVet'],
    ]);
  });

  it('OpenAPI : les définitions partagées sont dans components.schemas, aucune référence urn: ne reste', () => {
    const d = documentOpenApi() as { components: { schemas: Record<string, Record<string, unknown>> } };
    expect(Object.keys(d.components.schemas)).to.include.members(Object.values(PARTAGES));
    const lp = d.components.schemas.LaissezPasser.properties as Record<string, Record<string, unknown>>;
    expect(lp.codAnu.$ref).to.equal('#/components/schemas/AnneeUniversitaire');
    expect(d.components.schemas.NumeroOpi).to.include({ maxLength: 10, 'x-code': 'CODE_OPI_INVALIDE' });
    expect(JSON.stringify(d)).not.to.match(/urn:candidature-gateway|\$defs/);
  });
});

import { expect } from 'chai';
import { lpActif, resoudreAcces, type IndividuSource, type LpSource, type VoeuSource } from '../../src/domain/acces';
import { catalogueFixtures } from '../helpers/catalogue';

const catalogue = catalogueFixtures();
const AUJOURDHUI = '2026-11-24';

function voeu(surcharge: Partial<VoeuSource> = {}): VoeuSource {
  return {
    codOpiIntEpo: 'EC0001',
    codCge: 'DRT',
    codEtp: 'LDRT1',
    codVrsVet: 2,
    codDip: 'LDRT',
    codVrsVdi: 2,
    codDecVeu: 'F',
    codRge: '3',
    codCatOuiSi: 'RAN',
    mtfCat: 'Maths faibles',
    codCatExoExt: 'DD',
    comExoExt: 'Décision 12',
    ...surcharge,
  };
}

function lp(surcharge: Partial<LpSource> = {}): LpSource {
  return {
    id: 7,
    codOpiIntEpo: 'EC0001',
    codEtp: 'LDRT1',
    codVrsVet: 2,
    codDip: null,
    codVrsVdi: null,
    codCge: null,
    codRgi: '1',
    codStu: null,
    codCatOuiSi: 'TUT',
    mtfCat: 'Tutorat',
    codCatExoExt: 'EXDD',
    dateDebutValidite: null,
    dateFinValidite: null,
    ...surcharge,
  };
}

const INDIVIDU: IndividuSource = { codOpiIntEpo: 'EC0001', codRgi: '2', codStu: '02' };

function resoudre(e: { individus?: IndividuSource[]; voeux?: VoeuSource[]; lps?: LpSource[]; aujourdHui?: string }) {
  return resoudreAcces({
    individus: e.individus ?? [INDIVIDU],
    voeux: e.voeux ?? [],
    lps: e.lps ?? [],
    catalogue,
    aujourdHui: e.aujourdHui ?? AUJOURDHUI,
  });
}

describe("accès — resoudreAcces : vœu d'OPI seul", () => {
  it("un vœu favorable ouvre la formation ; valeurs du vœu, puis de l'individu, avec leur source", () => {
    const r = resoudre({ voeux: [voeu()] });
    expect(r.lpInactifs).to.deep.equal([]);
    expect(r.formations).to.have.length(1);
    expect(r.formations[0]).to.deep.equal({
      codEtp: 'LDRT1',
      codVrsVet: 2,
      codDip: 'LDRT',
      codVrsVdi: 2,
      codCge: 'DRT',
      libelle: 'L1 Droit',
      ouvertPar: ['OPI_VOEU'],
      laissezPasserId: null,
      codOpiIntEpo: 'EC0001',
      valeurs: {
        codRgi: { valeur: '3', source: 'OPI_VOEU' },
        codStu: { valeur: '02', source: 'OPI_INDIVIDU' },
        codCatOuiSi: { valeur: 'RAN', source: 'OPI_VOEU', complement: 'Maths faibles' },
        codCatExoExt: { valeur: 'DD', source: 'OPI_VOEU', complement: 'Décision 12' },
      },
    });
  });

  it("vœu sans codRge → régime de l'individu (OPI_INDIVIDU)", () => {
    const r = resoudre({ voeux: [voeu({ codRge: null })] });
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '2', source: 'OPI_INDIVIDU' });
  });

  it("vœu sans codRge et individu sans régime ni statut → défauts de l'étape (FORMATION)", () => {
    const r = resoudre({ individus: [{ codOpiIntEpo: 'EC0001', codRgi: null, codStu: null }], voeux: [voeu({ codRge: '' })] });
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '1', source: 'FORMATION' });
    expect(r.formations[0]!.valeurs.codStu).to.deep.equal({ valeur: '01', source: 'FORMATION' });
  });

  it("individu du vœu retrouvé par son numéro d'OPI parmi plusieurs", () => {
    const r = resoudre({
      individus: [{ codOpiIntEpo: 'AUTRE', codRgi: '7', codStu: '06' }, INDIVIDU],
      voeux: [voeu({ codRge: null })],
    });
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '2', source: 'OPI_INDIVIDU' });
    expect(r.formations[0]!.valeurs.codStu).to.deep.equal({ valeur: '02', source: 'OPI_INDIVIDU' });
  });

  for (const dec of ['D', 'R', 'A', '']) {
    it(`un vœu de décision ${JSON.stringify(dec)} (≠ F) n'ouvre aucun accès`, () => {
      const r = resoudre({ voeux: [voeu({ codDecVeu: dec })] });
      expect(r.formations).to.deep.equal([]);
      expect(r.lpInactifs).to.deep.equal([]);
    });
  }

  it('deux vœux favorables sur la même formation → une seule formation, le premier vœu retenu', () => {
    const r = resoudre({ voeux: [voeu({ codRge: '3' }), voeu({ codRge: '1', codCatOuiSi: 'MET' })] });
    expect(r.formations).to.have.length(1);
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '3', source: 'OPI_VOEU' });
    expect(r.formations[0]!.valeurs.codCatOuiSi.valeur).to.equal('RAN');
  });
});

describe("accès — resoudreAcces : LP et vœu sur la même formation (le LP l'emporte)", () => {
  const r = resoudre({ voeux: [voeu()], lps: [lp({ codCge: 'DRT' })] });
  const f = r.formations[0]!;

  it('une seule formation, ouverte par le LP et le vœu', () => {
    expect(r.formations).to.have.length(1);
    expect(f.ouvertPar).to.deep.equal(['LP', 'OPI_VOEU']);
    expect(f.laissezPasserId).to.equal(7);
    expect(f.codOpiIntEpo).to.equal('EC0001');
    expect(f.codDip).to.equal('LDRT');
    expect(f.codVrsVdi).to.equal(2);
    expect(f.codCge).to.equal('DRT');
  });
  it('codRgi du LP (et non le codRge du vœu)', () => {
    expect(f.valeurs.codRgi).to.deep.equal({ valeur: '1', source: 'LP' });
  });
  it('codCatOuiSi du LP avec son motif (mtfCat) en complément', () => {
    expect(f.valeurs.codCatOuiSi).to.deep.equal({ valeur: 'TUT', source: 'LP', complement: 'Tutorat' });
  });
  it('codCatExoExt du LP (sans le comExoExt du vœu)', () => {
    expect(f.valeurs.codCatExoExt).to.deep.equal({ valeur: 'EXDD', source: 'LP', complement: null });
  });
  it("codStu : le LP n'en a pas → celui de l'individu (OPI_INDIVIDU)", () => {
    expect(f.valeurs.codStu).to.deep.equal({ valeur: '02', source: 'OPI_INDIVIDU' });
  });
  it('codStu du LP quand il en a un', () => {
    const r2 = resoudre({ voeux: [voeu()], lps: [lp({ codStu: '04' })] });
    expect(r2.formations[0]!.valeurs.codStu).to.deep.equal({ valeur: '04', source: 'LP' });
  });
  it('un champ vide du LP ne masque pas le vœu (codRgi "" → codRge du vœu)', () => {
    const r2 = resoudre({ voeux: [voeu()], lps: [lp({ codRgi: '', codCatOuiSi: null, codCatExoExt: null })] });
    const v = r2.formations[0]!.valeurs;
    expect(v.codRgi).to.deep.equal({ valeur: '3', source: 'OPI_VOEU' });
    expect(v.codCatOuiSi).to.deep.equal({ valeur: 'RAN', source: 'OPI_VOEU', complement: 'Maths faibles' });
    expect(v.codCatExoExt).to.deep.equal({ valeur: 'DD', source: 'OPI_VOEU', complement: 'Décision 12' });
  });
  it('LP avec catégorie Oui Si sans motif → complement null (pas celui du vœu)', () => {
    const r2 = resoudre({ voeux: [voeu()], lps: [lp({ mtfCat: null })] });
    expect(r2.formations[0]!.valeurs.codCatOuiSi).to.deep.equal({ valeur: 'TUT', source: 'LP', complement: null });
  });
});

describe('accès — resoudreAcces : LP seul', () => {
  it("un LP actif ouvre la formation (ouvertPar [LP]) ; diplôme et CGE par défaut de l'étape", () => {
    const r = resoudre({ individus: [], lps: [lp({ codEtp: 'MINF1', codVrsVet: 2, codRgi: '2', codStu: '03' })] });
    expect(r.formations).to.deep.equal([
      {
        codEtp: 'MINF1',
        codVrsVet: 2,
        codDip: 'MINF',
        codVrsVdi: 2,
        codCge: 'SCI',
        libelle: 'M1 Informatique',
        ouvertPar: ['LP'],
        laissezPasserId: 7,
        codOpiIntEpo: 'EC0001',
        valeurs: {
          codRgi: { valeur: '2', source: 'LP' },
          codStu: { valeur: '03', source: 'LP' },
          codCatOuiSi: { valeur: 'TUT', source: 'LP', complement: 'Tutorat' },
          codCatExoExt: { valeur: 'EXDD', source: 'LP', complement: null },
        },
      },
    ]);
    expect(r.lpInactifs).to.deep.equal([]);
  });

  it('LP sans valeurs → individu (OPI_INDIVIDU) pour régime/statut, rien pour Oui Si / situation droits', () => {
    const r = resoudre({ lps: [lp({ codRgi: null, codStu: null, codCatOuiSi: null, mtfCat: null, codCatExoExt: null })] });
    expect(r.formations[0]!.ouvertPar).to.deep.equal(['LP']);
    expect(r.formations[0]!.valeurs).to.deep.equal({
      codRgi: { valeur: '2', source: 'OPI_INDIVIDU' },
      codStu: { valeur: '02', source: 'OPI_INDIVIDU' },
      codCatOuiSi: { valeur: null, source: null },
      codCatExoExt: { valeur: null, source: null },
    });
  });

  it("LP d'un étudiant connu (sans OPI ni individu) : numéro d'OPI null", () => {
    const r = resoudre({ individus: [], lps: [lp({ codOpiIntEpo: null })] });
    expect(r.formations[0]!.codOpiIntEpo).to.equal(null);
  });

  // Regression: without a vœu the individu used to be `individus[0]`, even when the LP names another OPI.
  it("LP seul : l'individu est celui du numéro d'OPI du LP, pas le premier de la liste", () => {
    const r = resoudre({
      individus: [{ codOpiIntEpo: 'AUTRE', codRgi: '7', codStu: '06' }, INDIVIDU],
      lps: [lp({ codRgi: null, codStu: null })],
    });
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '2', source: 'OPI_INDIVIDU' });
    expect(r.formations[0]!.valeurs.codStu).to.deep.equal({ valeur: '02', source: 'OPI_INDIVIDU' });
  });
});

describe('accès — resoudreAcces : validité des LP', () => {
  it('LP pas encore valide → formation non ouverte, listé PAS_ENCORE_VALIDE', () => {
    const r = resoudre({ lps: [lp({ id: 3, dateDebutValidite: '2026-11-25' })] });
    expect(r.formations).to.deep.equal([]);
    expect(r.lpInactifs).to.deep.equal([{ id: 3, codEtp: 'LDRT1', codVrsVet: 2, raison: 'PAS_ENCORE_VALIDE' }]);
  });
  it('LP expiré → formation non ouverte, listé EXPIRE', () => {
    const r = resoudre({ lps: [lp({ id: 4, codEtp: 'MDAF1', dateFinValidite: '2026-11-23' })] });
    expect(r.formations).to.deep.equal([]);
    expect(r.lpInactifs).to.deep.equal([{ id: 4, codEtp: 'MDAF1', codVrsVet: 2, raison: 'EXPIRE' }]);
  });
  it('LP expiré + vœu favorable sur la même formation → ouverte par le vœu seul, valeurs du vœu', () => {
    const r = resoudre({ voeux: [voeu()], lps: [lp({ dateFinValidite: '2026-09-30' })] });
    expect(r.formations).to.have.length(1);
    expect(r.formations[0]!.ouvertPar).to.deep.equal(['OPI_VOEU']);
    expect(r.formations[0]!.laissezPasserId).to.equal(null);
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '3', source: 'OPI_VOEU' });
    expect(r.lpInactifs).to.deep.equal([{ id: 7, codEtp: 'LDRT1', codVrsVet: 2, raison: 'EXPIRE' }]);
  });
  it('LP dans sa période (bornes comprises) → ouvert', () => {
    const r = resoudre({ lps: [lp({ dateDebutValidite: '2026-11-24', dateFinValidite: '2026-11-24' })] });
    expect(r.formations.map((f) => f.ouvertPar)).to.deep.equal([['LP']]);
    expect(r.lpInactifs).to.deep.equal([]);
  });
});

describe('accès — lpActif (bornes)', () => {
  const periode = { dateDebutValidite: '2026-09-01', dateFinValidite: '2026-10-31' };
  it('la veille du début → PAS_ENCORE_VALIDE', () => expect(lpActif(periode, '2026-08-31')).to.equal('PAS_ENCORE_VALIDE'));
  it('le jour du début → actif (null)', () => expect(lpActif(periode, '2026-09-01')).to.equal(null));
  it('pendant → actif', () => expect(lpActif(periode, '2026-10-01')).to.equal(null));
  it('le jour de fin → actif (null)', () => expect(lpActif(periode, '2026-10-31')).to.equal(null));
  it('le lendemain de la fin → EXPIRE', () => expect(lpActif(periode, '2026-11-01')).to.equal('EXPIRE'));
  it('sans dates → toujours actif', () => {
    expect(lpActif({ dateDebutValidite: null, dateFinValidite: null }, '1999-01-01')).to.equal(null);
    expect(lpActif({ dateDebutValidite: null, dateFinValidite: '2026-10-31' }, '2000-01-01')).to.equal(null);
    expect(lpActif({ dateDebutValidite: '2026-09-01', dateFinValidite: null }, '2099-12-31')).to.equal(null);
  });
});

describe('accès — resoudreAcces : défauts et tri', () => {
  it("rien nulle part → défaut de la formation (codRgiDefaut / codStuDefaut de l'étape)", () => {
    const r = resoudre({
      individus: [],
      lps: [lp({ codEtp: 'DUNUM', codVrsVet: 1, codOpiIntEpo: null, codRgi: null, codStu: null, codCatOuiSi: null, mtfCat: null, codCatExoExt: null })],
    });
    expect(r.formations[0]!.valeurs).to.deep.equal({
      codRgi: { valeur: '2', source: 'FORMATION' },
      codStu: { valeur: '03', source: 'FORMATION' },
      codCatOuiSi: { valeur: null, source: null },
      codCatExoExt: { valeur: null, source: null },
    });
  });
  it('étape de défaut apprentissage (MINF2A) → régime 4 FORMATION', () => {
    const r = resoudre({
      individus: [{ codOpiIntEpo: 'EC0001', codRgi: null, codStu: null }],
      voeux: [voeu({ codEtp: 'MINF2A', codCge: 'SCI', codRge: null })],
    });
    expect(r.formations[0]!.valeurs.codRgi).to.deep.equal({ valeur: '4', source: 'FORMATION' });
    expect(r.formations[0]!.valeurs.codStu).to.deep.equal({ valeur: '01', source: 'FORMATION' });
  });
  it('étape inconnue du catalogue → pas de défaut (null), libellé null', () => {
    const r = resoudre({ individus: [], lps: [lp({ codEtp: 'XXXX9', codVrsVet: 9, codRgi: null, codStu: null })] });
    const f = r.formations[0]!;
    expect(f.libelle).to.equal(null);
    expect(f.codDip).to.equal(null);
    expect(f.codVrsVdi).to.equal(null);
    expect(f.codCge).to.equal(null);
    expect(f.valeurs.codRgi).to.deep.equal({ valeur: null, source: null });
    expect(f.valeurs.codStu).to.deep.equal({ valeur: null, source: null });
  });
  it('formations triées par étape puis version', () => {
    const r = resoudre({
      voeux: [voeu({ codEtp: 'MINF1', codCge: 'SCI' }), voeu({ codEtp: 'LDRT1', codVrsVet: 2 }), voeu({ codEtp: 'BINF1', codVrsVet: 1, codCge: 'IUT' })],
      lps: [lp({ id: 1, codEtp: 'LDRT1', codVrsVet: 1 }), lp({ id: 2, codEtp: 'DOCT1', codVrsVet: 1 })],
    });
    expect(r.formations.map((f) => `${f.codEtp}/${f.codVrsVet}`)).to.deep.equal(['BINF1/1', 'DOCT1/1', 'LDRT1/1', 'LDRT1/2', 'MINF1/2']);
  });
});

import { expect } from 'chai';
import { cleIndividu, lireCleIndividu, normaliserCodEtu, normaliserCodOpi } from '../../src/domain/identifiers/individu';
import { cheminsSelonNomsRecus, cleLp, cleLpSiComplete, incoherencesAvecOpi, typLpaDeduit } from '../../src/domain/lp/regles';
import { bilanListe, lireMode, refusToutOuRien } from '../../src/domain/lots';
import { probleme } from '../../src/domain/errors';
import { canoniserLp } from '../../src/domain/lp/canonique';
import { canoniserDemande } from '../../src/domain/inscription/canonique';

describe("identité d'un individu (une seule règle pour toutes les portes)", () => {
  it("numéro étudiant : les zéros de tête ne comptent pas ; ce qui n'est pas un nombre est laissé au schéma", () => {
    expect(normaliserCodEtu('00012345')).to.equal('12345');
    expect(normaliserCodEtu(' 12345 ')).to.equal('12345');
    expect(normaliserCodEtu(12345)).to.equal('12345');
    expect(normaliserCodEtu('000000000000000012345')).to.equal('12345');
    expect(normaliserCodEtu('0')).to.equal('0');
    expect(normaliserCodEtu('12a45')).to.equal('12a45');
  });

  it("numéro d'OPI : en majuscules, sans blancs autour", () => {
    expect(normaliserCodOpi(' ec24000001 ')).to.equal('EC24000001');
  });

  it("clé de l'individu : OPI, sinon numéro étudiant, sinon INE — le premier que porte le message", () => {
    expect(cleIndividu({ codOpiIntEpo: 'ec1', codEtu: '12', ine: '1234567890a' })).to.equal('OPI:EC1');
    expect(cleIndividu({ codOpiIntEpo: '  ', codEtu: '00012345', ine: 'x' })).to.equal('ETU:12345');
    expect(cleIndividu({ codEtu: 12345 })).to.equal('ETU:12345');
    expect(cleIndividu({ ine: ' 1234 567890-a' })).to.equal('INE:1234567890A');
    expect(cleIndividu({})).to.equal(undefined);
    expect(cleIndividu({ codOpiIntEpo: { pas: 'un texte' } })).to.equal(undefined);
  });

  it('une clé saisie (recherche dans le journal) est lue sous sa forme enregistrée', () => {
    expect(lireCleIndividu('ETU:00012345')).to.equal('ETU:12345');
    expect(lireCleIndividu('etu : 012345')).to.equal('ETU:12345');
    expect(lireCleIndividu('opi:ec1')).to.equal('OPI:EC1');
    expect(lireCleIndividu('INE:1234567890a')).to.equal('INE:1234567890A');
    expect(lireCleIndividu('12345')).to.equal(undefined);
    expect(lireCleIndividu('NIR:1')).to.equal(undefined);
  });

  it("la clé d'un LP et celle d'une IA suivent la même règle, quelle que soit l'écriture du numéro", () => {
    const a = canoniserLp({ codAnu: '2026', codEtu: '00012345', codEtp: 'ldrt2', codVrsVet: '2' }) as Parameters<typeof cleLp>[0];
    const b = canoniserLp({ codAnu: '2026', codEtu: '012345', codEtp: 'LDRT2', codVrsVet: 2 }) as Parameters<typeof cleLp>[0];
    expect(cleLp(a)).to.equal('ETU:12345|2026|LDRT2|2');
    expect(cleLp(b)).to.equal(cleLp(a));
    expect((canoniserDemande({ codEtu: '000012345' }) as { codEtu: string }).codEtu).to.equal('12345');
    expect(cleLpSiComplete({ codEtu: '0012345', codAnu: '2026', codEtp: 'ldrt2', codVrsVet: 'deux' })).to.equal('ETU:12345|2026|LDRT2|DEUX');
    expect(cleLpSiComplete({ codEtu: '12345', codAnu: '2026', codEtp: 'LDRT2' })).to.equal(undefined);
    expect(cleLpSiComplete({ codAnu: '2026', codEtp: 'LDRT2', codVrsVet: 2 })).to.equal(undefined);
  });

  it('typLpa déduit : IAPRIMO avec une OPI, REINS avec un numéro étudiant, rien sinon', () => {
    expect(typLpaDeduit({ codOpiIntEpo: 'EC1', codEtu: '1' })).to.equal('IAPRIMO');
    expect(typLpaDeduit({ codEtu: '1' })).to.equal('REINS');
    expect(typLpaDeduit({})).to.equal(undefined);
    expect((canoniserLp({ codEtu: '1' }) as { typLpa: string }).typLpa).to.equal('REINS');
    expect(canoniserLp({ ine: '1234567890A' })).to.not.have.property('typLpa');
  });

  it("LP et OPI : le numéro étudiant et l'INE doivent être ceux de l'OPI nommée", () => {
    const opi = { codOpiIntEpo: 'EC1', codEtuOpi: 12345, codNneIndOpi: '0000000001', codCleNneIndOpi: 'B' };
    const lp = (x: Record<string, unknown>) => ({ codAnu: '2026', codEtp: 'LDRT2', codVrsVet: 2, codOpiIntEpo: 'EC1', ...x }) as never;
    expect(incoherencesAvecOpi(lp({ codEtu: '12345' }), opi)).to.deep.equal([]);
    expect(incoherencesAvecOpi(lp({ codEtu: '12346' }), opi, 'laissezPasser[2]').map((p) => `${p.code}@${p.path}`)).to.deep.equal([
      'LP_INDIVIDU_INCOHERENT@laissezPasser[2].codEtu',
    ]);
    expect(incoherencesAvecOpi(lp({ ine: '0000000002C' }), opi).map((p) => p.path)).to.deep.equal(['ine']);
  });

  it("les chemins nomment le champ comme l'appelant l'a écrit (numOPI de la V2)", () => {
    const pbs = [probleme('IDENTIFIANT_INDIVIDU_MANQUANT', 'codOpiIntEpo'), probleme('ETAPE_INCONNUE', 'codEtp')];
    expect(cheminsSelonNomsRecus(pbs, { numOPI: '' }).map((p) => p.path)).to.deep.equal(['numOPI', 'codEtp']);
    expect(cheminsSelonNomsRecus(pbs, { codOpiIntEpo: '', numOPI: '' }).map((p) => p.path)).to.deep.equal(['codOpiIntEpo', 'codEtp']);
    expect(cheminsSelonNomsRecus([probleme('FORMAT_INVALIDE', '[3].codOpiIntEpo')], { numOPI: 'x' }, '[3]')[0].path).to.equal('[3].numOPI');
  });
});

describe("listes d'enregistrements (une seule règle du tout-ou-rien)", () => {
  it("tout-ou-rien : un mauvais élément et rien n'est écrit ; tous bons : rien à refuser", () => {
    const items = [
      { rang: 1, problemes: [] },
      { rang: 2, problemes: [probleme('ETAPE_INCONNUE', 'codEtp')] },
    ];
    const r = refusToutOuRien(items)!;
    expect(r.map((x) => x.statut)).to.deep.equal(['NON_ECRIT', 'REJETE']);
    expect(bilanListe(r)).to.include({ rejetees: 1, toutOuRienAnnule: true, resultat: 'REJETE' });
    expect(refusToutOuRien([{ rang: 1, problemes: [] }])).to.equal(undefined);
  });
  it('mode : partial / all-or-nothing, en anglais ou en français ; autre chose est refusé avec le chemin mode', () => {
    expect(lireMode(undefined)).to.equal('partiel');
    expect(lireMode('ALL-OR-NOTHING')).to.equal('tout-ou-rien');
    expect(lireMode('partiel')).to.equal('partiel');
    expect(() => lireMode('presque'))
      .to.throw()
      .with.property('problemes')
      .that.deep.includes(probleme('PARAMETRE_INVALIDE', 'mode', { detail: 'mode : partial (défaut) ou all-or-nothing' }));
  });
});

import { expect } from 'chai';
import { CatalogueEnMemoire, type EntreeNomenclature } from '../../src/domain/nomenclatures';
import { estHorsUE, piecesDues, tailleMax, typesMediaAutorises } from '../../src/domain/pj/pieces-dues';
import { nettoyerNomFichier, problemesFichier } from '../../src/domain/pj/fichier';
import { resteAFournir, verifierDecision } from '../../src/domain/pj/statuts';

const e = (code: string, x: Record<string, unknown> = {}): EntreeNomenclature => ({ code, libelle: code, enService: true, ...x });

const cat = new CatalogueEnMemoire({
  'types-pj': [
    e('IDENT', { exigee: { tous: true } }),
    e('TSEJ', { exigee: { horsUE: true } }),
    e('CAPP', { exigee: { regimes: ['4'] }, typesMedia: ['application/pdf'], tailleMaxOctets: 1000 }),
    e('BOURS', { exigee: { profils: ['BOURSIER'] } }),
    e('MEMO', { exigee: { formations: ['MINF2/2'] } }),
    e('RELBC', { exigee: { statuts: ['01'] } }),
    e('VIEUX', { enService: false, exigee: { tous: true } }),
  ],
  regimes: [e('1', { libelle: 'Formation initiale' }), e('4', { libelle: "Contrat d'apprentissage" })],
  statuts: [e('01', { libelle: 'Étudiant' })],
  pays: [e('100', { droitsNationaux: true }), e('212', { droitsNationaux: false }), e('140', { droitsNationaux: true })],
});

const codes = (x: { codTpj: string }[]) => x.map((p) => p.codTpj).sort();

describe('pièces justificatives — qui doit quoi (règle pure)', () => {
  it("chaque type dit qui le doit : tous, hors UE, un régime, un statut, une formation, un profil ; un type hors service n'est jamais dû", () => {
    const francais = piecesDues({ codPayNat: '100', formations: [{ codEtp: 'LDRT1', codVrsVet: 2, codRgi: '1', codStu: '02' }], profils: [] }, cat);
    expect(codes(francais)).to.deep.equal(['IDENT']);
    const apprenti = piecesDues({ codPayNat: '212', formations: [{ codEtp: 'MINF2', codVrsVet: 2, codRgi: '4', codStu: '01' }], profils: ['BOURSIER'] }, cat);
    expect(codes(apprenti)).to.deep.equal(['BOURS', 'CAPP', 'IDENT', 'MEMO', 'RELBC', 'TSEJ']);
    expect(apprenti.find((p) => p.codTpj === 'CAPP')!.raisons).to.deep.equal(["régime Contrat d'apprentissage (MINF2)"]);
    expect(apprenti.find((p) => p.codTpj === 'TSEJ')!.raisons[0]).to.contain('hors Union européenne');
  });
  it("hors UE : la nationalité dont le pays n'a pas les droits nationaux (la Suisse les a)", () => {
    expect(estHorsUE(cat, '212')).to.equal(true);
    expect(estHorsUE(cat, '140')).to.equal(false);
    expect(estHorsUE(cat, null)).to.equal(false);
  });
  it('types et taille : ceux du type, sinon PDF/JPEG/PNG et 10 Mio', () => {
    expect(typesMediaAutorises(cat.trouver('types-pj', 'CAPP')!)).to.deep.equal(['application/pdf']);
    expect(typesMediaAutorises(cat.trouver('types-pj', 'IDENT')!)).to.deep.equal(['application/pdf', 'image/jpeg', 'image/png']);
    expect(tailleMax(cat.trouver('types-pj', 'IDENT')!)).to.equal(10 * 1024 * 1024);
  });
});

describe("pièces justificatives — ce qu'un fichier doit être (règle pure)", () => {
  const capp = cat.trouver('types-pj', 'CAPP')!;
  const ident = cat.trouver('types-pj', 'IDENT')!;
  const code = (t: typeof capp, f: Parameters<typeof problemesFichier>[1]) => problemesFichier(t, f).map((p) => `${p.code}@${p.path}`);
  it('vide, trop gros, type réel refusé (même listé : exécutables, HTML, SVG, archives), PDF chiffré ou illisible', () => {
    expect(code(capp, { taille: 0 })).to.deep.equal(['PJ_VIDE@pj']);
    expect(code(capp, { taille: 1001, typeReel: 'application/pdf', pdf: 'OK' })).to.deep.equal(['PJ_TROP_VOLUMINEUX@pj']);
    expect(code(capp, { taille: 10, typeReel: 'image/png' })).to.deep.equal(['PJ_TYPE_NON_AUTORISE@pj']);
    expect(code({ ...ident, typesMedia: ['image/svg+xml', 'text/html', 'application/zip'] }, { taille: 10, typeReel: 'image/svg+xml' })).to.deep.equal([
      'PJ_TYPE_NON_AUTORISE@pj',
    ]);
    expect(code(ident, { taille: 10 })).to.deep.equal(['PJ_TYPE_NON_AUTORISE@pj']);
    expect(code(ident, { taille: 10, typeReel: 'application/pdf', pdf: 'CHIFFRE' })).to.deep.equal(['PJ_PDF_CHIFFRE@pj']);
    expect(code(ident, { taille: 10, typeReel: 'application/pdf', pdf: 'ILLISIBLE' })).to.deep.equal(['PJ_PDF_ILLISIBLE@pj']);
    expect(code(ident, { taille: 10, typeReel: 'application/pdf', pdf: 'OK' })).to.deep.equal([]);
    expect(code(ident, { taille: 10, typeReel: 'image/jpeg' })).to.deep.equal([]);
  });
  it('le nom du fichier : sans dossier, sans caractères de contrôle ni réservés, 200 caractères au plus, extension gardée', () => {
    expect(nettoyerNomFichier('../../etc/passwd')).to.equal('passwd');
    expect(nettoyerNomFichier('C:\\Users\\moi\\carte.pdf')).to.equal('carte.pdf');
    expect(nettoyerNomFichier('a\u0000b\u001f\u0085c.pdf')).to.equal('abc.pdf');
    expect(nettoyerNomFichier('"<x>|?*".pdf')).to.equal('__x_____.pdf');
    expect(nettoyerNomFichier('...cache.pdf')).to.equal('cache.pdf');
    expect(nettoyerNomFichier('')).to.equal('document');
    expect(nettoyerNomFichier(undefined)).to.equal('document');
    const long = nettoyerNomFichier(`${'é'.repeat(300)}.pdf`);
    expect(long).to.have.length(200);
    expect(long.endsWith('.pdf')).to.equal(true);
  });
});

describe('pièces justificatives — statuts', () => {
  it('une décision porte sur une pièce reçue ; reste à fournir : attendue ou refusée', () => {
    expect(() => verifierDecision('ATTENDUE', 'VALIDEE'))
      .to.throw()
      .with.property('problemes')
      .that.has.nested.property('[0].code', 'TRANSITION_INTERDITE');
    expect(() => verifierDecision('DEPOSEE', 'REFUSEE')).to.not.throw();
    expect(() => verifierDecision('VALIDEE', 'REFUSEE')).to.not.throw();
    expect([resteAFournir('ATTENDUE'), resteAFournir('REFUSEE'), resteAFournir('DEPOSEE'), resteAFournir('VALIDEE')]).to.deep.equal([true, true, false, false]);
  });
});

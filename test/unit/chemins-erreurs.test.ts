import { expect } from 'chai';
import { joindre, pointeurVersChemin } from '../../src/domain/chemins';
import { CATALOGUE, ErreurMetier, codeApogee, estAvertissement, probleme, type CodeErreur } from '../../src/domain/errors';

const CODES = Object.keys(CATALOGUE) as CodeErreur[];

describe('chemins — pointeurVersChemin (JSON Pointer → chemin passerelle)', () => {
  const cas: Array<[string, string]> = [
    ['/voeux/1/codEtp', 'voeux[1].codEtp'],
    ['/individu/etatCivil/codNneIndOpi', 'individu.etatCivil.codNneIndOpi'],
    ['/voeux/0', 'voeux[0]'],
    ['/voeux/12/convocation/datCvc', 'voeux[12].convocation.datCvc'],
    ['/individu', 'individu'],
    ['/0/codEtp', '[0].codEtp'],
    ['/a~1b/c~0d', 'a/b.c~d'],
    ['/x~01', 'x~1'], // ~1 décodé avant ~0 (RFC 6901 §4) : « ~01 » donne « ~1 », pas « / »
    ['', ''],
  ];
  for (const [pointeur, chemin] of cas) {
    it(`${JSON.stringify(pointeur)} → ${JSON.stringify(chemin)}`, () => {
      expect(pointeurVersChemin(pointeur)).to.equal(chemin);
    });
  }
});

describe('chemins — joindre', () => {
  it('préfixe vide ou suite vide', () => {
    expect(joindre('', 'individu.codOpiIntEpo')).to.equal('individu.codOpiIntEpo');
    expect(joindre('lignes[3]', '')).to.equal('lignes[3]');
    expect(joindre('', '')).to.equal('');
  });
  it('joint par un point, sauf devant un indice', () => {
    expect(joindre('lignes[12]', 'codEtp')).to.equal('lignes[12].codEtp');
    expect(joindre('individu', 'etatCivil.libPr1IndOpi')).to.equal('individu.etatCivil.libPr1IndOpi');
    expect(joindre('lignes', '[0].codEtp')).to.equal('lignes[0].codEtp');
    expect(joindre('voeux[1]', 'codCge')).to.equal('voeux[1].codCge');
  });
});

describe('erreurs — catalogue', () => {
  // 401 : AUTHENTIFICATION_REQUISE (clés d'API, ajoutée avec l'authentification optionnelle).
  const STATUTS = [200, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 500, 503];
  it("le catalogue n'est pas vide", () => {
    expect(CODES.length).to.be.greaterThan(40);
  });
  for (const code of CODES) {
    it(`${code} : message français, statut, domaine, nature et gravité cohérents`, () => {
      const e = CATALOGUE[code];
      expect(e.message, code).to.be.a('string');
      // Phrase française : commence par une majuscule (éventuellement accentuée), finit par un point.
      expect(e.message, code).to.match(/^[A-ZÀ-ÖÉÈÊ]/);
      expect(e.message, code).to.match(/\.$/);
      expect(e.message.length, code).to.be.greaterThan(10);
      // Pas de reste de message anglais.
      expect(e.message, code).to.not.match(/\b(the|is|invalid|missing|must|not found|error)\b/i);
      expect(STATUTS, code).to.include(e.status);
      expect(['parameter', 'data', 'security'], code).to.include(e.domaine);
      expect(['noncoherentinput', 'nonpresentinput', 'nullretrieve', 'transaction', 'invaliduser'], code).to.include(e.nature);
      // Un avertissement n'a pas de statut d'échec ; une erreur en a un.
      if (e.gravite === 'avertissement') expect(e.status, code).to.equal(200);
      else expect(e.status, code).to.be.at.least(400);
      // Les paramètres sont des identifiants simples.
      for (const m of e.message.matchAll(/\{([^}]*)\}/g)) expect(m[1], code).to.match(/^\w+$/);
    });
  }
  it("les avertissements sont exactement les trois doublons et l'indisponibilité d'INES", () => {
    const avert = CODES.filter((c) => CATALOGUE[c].gravite === 'avertissement').sort();
    expect(avert).to.deep.equal(['DOUBLON_COD_ETU', 'DOUBLON_ETAT_CIVIL', 'DOUBLON_INE', 'INES_INDISPONIBLE']);
    expect(estAvertissement(probleme('DOUBLON_INE', ''))).to.equal(true);
    expect(estAvertissement(probleme('INE_CLE_INVALIDE', ''))).to.equal(false);
  });
  it('statuts particuliers', () => {
    expect(CATALOGUE.CORPS_TROP_VOLUMINEUX.status).to.equal(413);
    expect(CATALOGUE.TYPE_CONTENU_NON_SUPPORTE.status).to.equal(415);
    expect(CATALOGUE.OPI_INTROUVABLE.status).to.equal(404);
    expect(CATALOGUE.CONFLIT_CONCURRENT.status).to.equal(409);
    expect(CATALOGUE.BASE_INDISPONIBLE.status).to.equal(503);
    expect(CATALOGUE.ERREUR_INTERNE.status).to.equal(500);
    expect(CATALOGUE.CHAMP_OBLIGATOIRE.status).to.equal(422);
    expect(CATALOGUE.REQUETE_MALFORMEE.status).to.equal(400);
    expect(CATALOGUE.AUTHENTIFICATION_REQUISE.status).to.equal(401);
    expect(codeApogee(probleme('AUTHENTIFICATION_REQUISE', '')).code).to.equal('technical.security.invaliduser.requete');
  });
});

describe('erreurs — probleme()', () => {
  it('remplit les paramètres du message', () => {
    expect(probleme('ETAPE_INCONNUE', 'voeux[0].codEtp', { codEtp: 'LDRT1', codVrsVet: 1 })).to.deep.equal({
      code: 'ETAPE_INCONNUE',
      path: 'voeux[0].codEtp',
      message: 'Étape inconnue ou hors service : LDRT1 version 1.',
    });
    expect(probleme('LONGUEUR_MAX_DEPASSEE', 'x', { max: 30 }).message).to.equal('La valeur dépasse la longueur maximale de 30 caractère(s).');
    expect(
      probleme('ETAPE_CGE_INCOHERENTS', 'voeux[1].codCge', {
        codEtp: 'LDRT1',
        codVrsVet: 2,
        codCge: 'ECO',
        attendu: 'DRT',
      }).message,
    ).to.equal("L'étape LDRT1 v2 est gérée par le centre de gestion DRT, pas ECO.");
  });
  it('message sans paramètre inchangé ; chemin conservé', () => {
    expect(probleme('CHAMP_OBLIGATOIRE', 'individu.etatCivil.libPr1IndOpi')).to.deep.equal({
      code: 'CHAMP_OBLIGATOIRE',
      path: 'individu.etatCivil.libPr1IndOpi',
      message: 'Le champ est obligatoire.',
    });
  });
  it('un paramètre absent ou null laisse le marqueur tel quel', () => {
    expect(probleme('REGIME_INCONNU', '').message).to.equal("Régime d'inscription inconnu ou hors service : {code}.");
    expect(probleme('REGIME_INCONNU', '', { code: null }).message).to.equal("Régime d'inscription inconnu ou hors service : {code}.");
  });
  it('les valeurs sont insérées littéralement (pas de motif $& de String.replace)', () => {
    expect(probleme('REGIME_INCONNU', '', { code: '$&$1' }).message).to.equal("Régime d'inscription inconnu ou hors service : $&$1.");
  });
});

describe('erreurs — ErreurMetier', () => {
  it('un seul problème : son statut ; message lisible', () => {
    const e = ErreurMetier.une('OPI_INTROUVABLE', '', { codOpiIntEpo: 'EC1' });
    expect(e).to.be.instanceOf(Error);
    expect(e.name).to.equal('ErreurMetier');
    expect(e.status).to.equal(404);
    expect(e.problemes).to.deep.equal([{ code: 'OPI_INTROUVABLE', path: '', message: 'Aucune OPI avec le numéro EC1.' }]);
    expect(e.message).to.equal('OPI_INTROUVABLE Aucune OPI avec le numéro EC1.');
  });
  it('le message liste code [chemin] message, séparés par « ; »', () => {
    const e = new ErreurMetier([probleme('CHAMP_OBLIGATOIRE', 'individu'), probleme('FORMAT_INVALIDE', 'bac.codBac', { attendu: 'code du baccalauréat' })]);
    expect(e.message).to.equal(
      'CHAMP_OBLIGATOIRE [individu] Le champ est obligatoire. ; FORMAT_INVALIDE [bac.codBac] Format invalide ; attendu : code du baccalauréat.',
    );
  });
  it('statuts identiques : ce statut', () => {
    expect(new ErreurMetier([probleme('REQUETE_MALFORMEE', ''), probleme('PARAMETRE_INVALIDE', '')]).status).to.equal(400);
    expect(new ErreurMetier([probleme('CHAMP_OBLIGATOIRE', 'a'), probleme('INE_CLE_INVALIDE', 'b')]).status).to.equal(422);
  });
  it("statuts mêlés : 422 l'emporte s'il est présent", () => {
    expect(new ErreurMetier([probleme('REQUETE_MALFORMEE', ''), probleme('CHAMP_OBLIGATOIRE', 'x')]).status).to.equal(422);
    expect(new ErreurMetier([probleme('BASE_INDISPONIBLE', ''), probleme('CHAMP_OBLIGATOIRE', 'x')]).status).to.equal(422);
  });
  it('statuts mêlés sans 422 : le plus grand', () => {
    expect(new ErreurMetier([probleme('REQUETE_MALFORMEE', ''), probleme('OPI_INTROUVABLE', '')]).status).to.equal(404);
    expect(new ErreurMetier([probleme('CORPS_TROP_VOLUMINEUX', ''), probleme('ERREUR_INTERNE', '')]).status).to.equal(500);
  });
  it('liste vide : 422 ; statut explicite prioritaire', () => {
    expect(new ErreurMetier([]).status).to.equal(422);
    expect(new ErreurMetier([probleme('OPI_INTROUVABLE', '')], 422).status).to.equal(422);
  });
});

describe('erreurs — codeApogee (technical.domaine.nature.element)', () => {
  it('INE invalide : parameter / noncoherentinput / codNneIndOpi', () => {
    expect(codeApogee(probleme('INE_CLE_INVALIDE', 'individu.etatCivil.codNneIndOpi'))).to.deep.equal({
      type: 'technical',
      domaine: 'parameter',
      nature: 'noncoherentinput',
      element: 'codNneIndOpi',
      code: 'technical.parameter.noncoherentinput.codNneIndOpi',
    });
  });
  it("l'élément perd ses indices", () => {
    expect(codeApogee(probleme('ETAPE_INCONNUE', 'voeux[1].codEtp')).element).to.equal('codEtp');
    expect(codeApogee(probleme('VOEU_EN_DOUBLE', 'voeux[1]')).element).to.equal('voeux');
    expect(codeApogee(probleme('VOEU_EN_DOUBLE', 'voeux[1]')).code).to.equal('technical.parameter.noncoherentinput.voeux');
    expect(codeApogee(probleme('ETAPE_INCONNUE', 'lignes[12].voeux[3].codEtp')).code).to.equal('technical.parameter.noncoherentinput.codEtp');
  });
  it('champ obligatoire : nonpresentinput', () => {
    expect(codeApogee(probleme('CHAMP_OBLIGATOIRE', 'voeux[0].codCge')).code).to.equal('technical.parameter.nonpresentinput.codCge');
  });
  it('OPI introuvable : data / nullretrieve ; sans chemin, élément « requete »', () => {
    const c = codeApogee(probleme('OPI_INTROUVABLE', '', { codOpiIntEpo: 'X' }));
    expect(c).to.deep.equal({
      type: 'technical',
      domaine: 'data',
      nature: 'nullretrieve',
      element: 'requete',
      code: 'technical.data.nullretrieve.requete',
    });
    expect(codeApogee(probleme('OPI_INTROUVABLE', 'codOpiIntEpo')).code).to.equal('technical.data.nullretrieve.codOpiIntEpo');
  });
  it('base indisponible : data / transaction', () => {
    expect(codeApogee(probleme('BASE_INDISPONIBLE', '')).code).to.equal('technical.data.transaction.requete');
  });
});

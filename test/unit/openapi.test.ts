import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { documentOpenApi } from '../../src/adapters/rest/openapi';
import { pageDocumentation } from '../../src/adapters/rest/page-documentation';

describe('OpenAPI', () => {
  it('le document est un OpenAPI 3.1 valide (validé contre le schéma officiel)', async () => {
    const v = new Validator();
    const r = await v.validate(documentOpenApi());
    expect(r.errors, JSON.stringify(r.errors)).to.equal(undefined);
    expect(r.valid).to.equal(true);
    expect(v.version).to.equal('3.1');
  });

  it('décrit chaque porte REST et chaque enregistrement', () => {
    const d = documentOpenApi() as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(Object.keys(d.paths)).to.include.members([
      '/api/v1/opi/{codOpiIntEpo}',
      '/api/v1/laissez-passer/bulk',
      '/api/v1/laissez-passer/lot',
      '/api/v1/acces',
      '/api/v1/inscriptions',
      '/api/v1/inscriptions/{id}/paiement',
      '/api/v1/jobs/{id}/rejets',
      '/api/v1/journal',
    ]);
    expect(Object.keys(d.components.schemas)).to.include.members(['DonneesOpi', 'LaissezPasser', 'DemandeInscription', 'Paiement', 'Annulation', 'Probleme']);
    expect(pageDocumentation(documentOpenApi())).to.contain('ACCES_NON_AUTORISE').and.contain('/ws/InscriptionMetier?wsdl');
  });

  it("la page montre en place les définitions partagées sans propriétés (type, contraintes, description) et ne renvoie qu'à des ancres qui existent", () => {
    const page = pageDocumentation(documentOpenApi());
    const ancres = new Set([...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const liens = [...page.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(liens).to.include.members(['Individu', 'EtatJob', 'ErreurChamp']);
    expect(liens.filter((l) => !ancres.has(l))).to.deep.equal([]);
    expect(page).not.to.contain('href="#NumeroEtudiant"').and.not.to.contain('href="#AnneeUniversitaire"');
    const table = page.slice(page.indexOf('<h3 id="LaissezPasser">'));
    const ligne = (champ: string) => /<tr><td><code>[^<]+<\/code><\/td>.*?<\/tr>/.exec(table.slice(table.indexOf(`<tr><td><code>${champ}</code>`)))![0];
    expect(ligne('codEtu'))
      .to.contain('string')
      .and.contain('NumeroEtudiant')
      .and.contain('≤ 8 car.')
      .and.contain('<code>^[0-9]{1,8}$</code>')
      .and.contain('Numéro étudiant (8 chiffres au plus)');
    expect(ligne('codVrsVet')).to.contain('integer').and.contain('≥ 1').and.contain('≤ 999').and.contain("Version d'étape");
    expect(ligne('codAnu')).to.contain('<code>^[0-9]{4}$</code>').and.contain('Année universitaire');
  });

  it("la table des opérations donne operationId et tag, groupée par tag dans l'ordre des tags du document", () => {
    const d = documentOpenApi() as { tags: { name: string }[]; paths: Record<string, Record<string, { operationId?: string }>> };
    const page = pageDocumentation(d);
    const table = page.slice(page.indexOf('<h2>Opérations</h2>'), page.indexOf('<h2>Enregistrements</h2>'));
    expect(table).to.contain('<th>operationId</th><th>tag</th>');
    const lignes = [
      ...table.matchAll(/<tr><td><code>([A-Z]+)<\/code><\/td><td><code>([^<]+)<\/code><\/td><td><code>(\w+)<\/code><\/td><td>([^<]+)<\/td>/g),
    ].map((m) => ({ methode: m[1], chemin: m[2], operationId: m[3], tag: m[4] }));
    const nombre = Object.values(d.paths).flatMap((item) => Object.values(item).filter((o) => typeof o === 'object' && o && 'operationId' in o)).length;
    expect(lignes).to.have.length(nombre);
    expect(lignes.find((l) => l.chemin === '/api/v1/laissez-passer/bulk')).to.deep.equal({
      methode: 'POST',
      chemin: '/api/v1/laissez-passer/bulk',
      operationId: 'chargerFichierLaissezPasser',
      tag: 'Chargements',
    });
    // Grouped: the tags follow the document's order, each in one run, under its heading.
    const suite = lignes.map((l) => l.tag).filter((t, i, a) => i === 0 || a[i - 1] !== t);
    expect(suite).to.deep.equal(d.tags.map((t) => t.name).filter((t) => suite.includes(t)));
    for (const t of suite)
      expect(table.indexOf(`id="tag-${t}"`))
        .to.be.greaterThan(-1)
        .and.lessThan(table.indexOf(`<td>${t}</td>`));
  });
});

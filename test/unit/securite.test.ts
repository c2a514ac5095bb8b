/** Scopes, roles and OPI prefixes (domain), secrets, and the identity use cases on the in-memory stores. */
import { expect } from 'chai';
import { PORTEES, PORTEES_DES_ROLES, autorise, lirePortees, lirePrefixes, opiAutorisee } from '../../src/domain/securite';
import { OPERATIONS } from '../../src/application/registre';
import { documentOpenApi } from '../../src/adapters/rest/openapi';
import { empreinteCle, hacherMotDePasse, nouvelleCle, verifierMotDePasse } from '../../src/application/secrets';
import { ServiceIdentites } from '../../src/application/identites';
import { UniteMemoire } from '../fakes/depots-memoire';
import { composerEnMemoire, contexte, erreurDe, type PasserelleMemoire } from '../fakes/passerelle-memoire';
import { opiExemple } from '../helpers/exemples';

describe('sécurité — portées, rôles, préfixes', () => {
  it('chaque portée du registre est connue ; admin les contient toutes', () => {
    for (const [nom, m] of Object.entries(OPERATIONS)) expect(PORTEES as readonly string[], nom).to.include(m.portee);
    for (const p of PORTEES) expect(autorise(new Set(['admin']), p)).to.equal(true);
    expect(autorise(new Set(['opi:lire']), 'opi:ecrire')).to.equal(false);
    expect(autorise(new Set(['opi:lire']), 'opi:lire')).to.equal(true);
  });

  it('rôles : lecture ne fait que lire (pas le journal), gestionnaire écrit sans administrer, admin a tout', () => {
    expect(PORTEES_DES_ROLES.lecture.every((p) => p.endsWith(':lire'))).to.equal(true);
    expect(PORTEES_DES_ROLES.lecture).to.not.include('journal:lire');
    expect(PORTEES_DES_ROLES.gestionnaire).to.include.members(['lp:ecrire', 'opi:importer', 'ia:valider', 'journal:lire', 'jobs:annuler']);
    expect(PORTEES_DES_ROLES.gestionnaire).to.not.include('admin');
    expect(PORTEES_DES_ROLES.admin).to.deep.equal(['admin']);
  });

  it('lirePortees : a+b, a,b ou « a b » ; vide = admin ; inconnues nommées', () => {
    expect(lirePortees('opi:ecrire+lp:lire')).to.deep.equal({ portees: ['opi:ecrire', 'lp:lire'] });
    expect(lirePortees(' opi:ecrire, opi:ecrire ')).to.deep.equal({ portees: ['opi:ecrire'] });
    expect(lirePortees('')).to.deep.equal({ portees: ['admin'] });
    expect(lirePortees('opi:ecrire+tout')).to.deep.equal({ inconnues: ['tout'] });
  });

  it('lirePrefixes / opiAutorisee : préfixes en majuscules ; sans préfixe ou admin, toute OPI', () => {
    expect(lirePrefixes('p, ec')).to.deep.equal({ prefixes: ['P', 'EC'] });
    expect(lirePrefixes('P-1')).to.deep.equal({ invalides: ['P-1'] });
    expect(opiAutorisee('P26000001', ['P'])).to.equal(true);
    expect(opiAutorisee('p26000001', ['P'])).to.equal(true);
    expect(opiAutorisee('EC26000001', ['P'])).to.equal(false);
    expect(opiAutorisee('EC26000001', undefined)).to.equal(true);
    expect(opiAutorisee('EC26000001', ['P'], new Set(['admin']))).to.equal(true);
  });
});

describe('sécurité — secrets', () => {
  it('une clé : gw_ + 43 caractères base64url, jamais deux fois la même ; empreinte SHA-256 hex', () => {
    const a = nouvelleCle();
    expect(a).to.match(/^gw_[A-Za-z0-9_-]{43}$/);
    expect(nouvelleCle()).to.not.equal(a);
    expect(empreinteCle(a)).to.match(/^[0-9a-f]{64}$/);
  });

  it('mot de passe : scrypt salé (deux hachages différents), vérifié juste, refusé faux', async () => {
    const h1 = await hacherMotDePasse('une phrase de passe');
    const h2 = await hacherMotDePasse('une phrase de passe');
    expect(h1).to.match(/^scrypt\$32768\$8\$1\$/);
    expect(h1).to.not.equal(h2);
    expect(await verifierMotDePasse('une phrase de passe', h1)).to.equal(true);
    expect(await verifierMotDePasse('une phrase de passe ', h1)).to.equal(false);
    expect(await verifierMotDePasse('x', 'md5$abc')).to.equal(false);
  });
});

describe("cas d'usage — identités (dépôts en mémoire)", () => {
  let unite: UniteMemoire;
  let s: ServiceIdentites;
  beforeEach(() => {
    unite = new UniteMemoire();
    s = new ServiceIdentites(unite, new Map([['env', { cle: 'cle-de-l-environnement-01', portees: ['lp:lire'] as const }]]), 60_000);
  });

  it("un client créé s'authentifie par sa clé (seule, ou en Basic avec son nom), avec ses portées et préfixes ; une autre clé, non", async () => {
    const { cle, client } = await s.creerClient('parcoursup', { portees: 'opi:ecrire,opi:lire', prefixes: 'p' });
    expect(client).to.include({ nom: 'parcoursup' });
    expect(client.portees).to.deep.equal(['opi:ecrire', 'opi:lire']);
    const id = await s.authentifier({ cle });
    expect(id?.nom).to.equal('parcoursup');
    expect([...id!.portees]).to.deep.equal(['opi:ecrire', 'opi:lire']);
    expect(id?.prefixesOpi).to.deep.equal(['P']);
    expect((await s.authentifier({ nom: 'parcoursup', secret: cle }))?.nom).to.equal('parcoursup');
    expect(await s.authentifier({ nom: 'autre', secret: cle })).to.equal(undefined);
    expect(await s.authentifier({ cle: `${cle}x` })).to.equal(undefined);
    expect((await s.authentifier({ cle: 'cle-de-l-environnement-01' }))?.nom).to.equal('env');
    // Only the hash is stored.
    expect(unite.lignes('cleApi').map((k) => k.empreinte)).to.deep.equal([empreinteCle(cle)]);
    expect(JSON.stringify(unite.lignes('cleApi'))).to.not.include(cle);
  });

  it("rotation : l'ancienne clé marche jusqu'à la fin du délai, la nouvelle aussi ; révocation d'une clé puis du client", async () => {
    const { cle: ancienne } = await s.creerClient('ecandidat', { portees: 'opi:ecrire' });
    const { cle: nouvelle, anciennesExpirentLe } = await s.rotation('ecandidat', 1);
    expect(new Date(anciennesExpirentLe).getTime() - Date.now()).to.be.within(3_590_000, 3_600_000);
    expect((await s.authentifier({ cle: ancienne }))?.nom).to.equal('ecandidat');
    expect((await s.authentifier({ cle: nouvelle }))?.nom).to.equal('ecandidat');
    // A delay of 0: the old keys expire now.
    const { cle: troisieme } = await s.rotation('ecandidat', 0);
    expect(await s.authentifier({ cle: ancienne })).to.equal(undefined);
    expect(await s.authentifier({ cle: nouvelle })).to.equal(undefined);
    expect((await s.authentifier({ cle: troisieme }))?.nom).to.equal('ecandidat');
    const liste = (await s.listerClients())[0];
    expect(liste.cles.map((k) => k.active)).to.deep.equal([false, false, true]);
    await s.revoquer('ecandidat', liste.cles[2].indice);
    expect(await s.authentifier({ cle: troisieme })).to.equal(undefined);
    await s.revoquer('ecandidat');
    expect((await s.listerClients())[0].revoqueLe).to.be.a('string');
    expect(unite.lignes('journal').map((l) => l.operation)).to.deep.equal([
      'clients.creer',
      'clients.rotation',
      'clients.rotation',
      'clients.revoquer',
      'clients.revoquer',
    ]);
  });

  it('un compte du personnel : Basic identifiant + mot de passe, portées de son rôle ; désactivé, plus rien', async () => {
    await s.creerCompte('dupont', 'lecture', 'mot de passe assez long');
    const id = await s.authentifier({ nom: 'dupont', secret: 'mot de passe assez long' });
    expect(id).to.include({ nom: 'dupont', nature: 'compte', role: 'lecture' });
    expect(id!.portees.has('opi:lire')).to.equal(true);
    expect(id!.portees.has('opi:ecrire')).to.equal(false);
    expect(await s.authentifier({ nom: 'dupont', secret: 'faux mot de passe!' })).to.equal(undefined);
    // Five wrong passwords in a minute: the account is refused unchecked for the rest of it, even with the right one.
    for (let i = 0; i < 5; i++) expect(await s.authentifier({ nom: 'dupont', secret: `faux ${i} mot de passe` })).to.equal(undefined);
    s.oublier();
    expect(await s.authentifier({ nom: 'dupont', secret: 'mot de passe assez long' })).to.equal(undefined);
    await s.modifierCompte('dupont', { actif: false });
    expect(await s.authentifier({ nom: 'dupont', secret: 'mot de passe assez long' })).to.equal(undefined);
    expect(JSON.stringify(unite.lignes('journal'))).to.not.include('scrypt');
  });

  it('refus nets : nom pris (client ou compte), portée ou préfixe inconnus, mot de passe court, rôle inconnu', async () => {
    await s.creerClient('alpha');
    expect((await erreurDe(s.creerClient('alpha'))).problemes[0].message).to.include('déjà pris');
    expect((await erreurDe(s.creerCompte('alpha', 'admin', 'mot de passe assez long'))).problemes[0].message).to.include('déjà pris');
    expect((await erreurDe(s.creerClient('beta', { portees: 'opi:tout' }))).problemes[0].message).to.include('opi:tout');
    expect((await erreurDe(s.creerClient('beta', { prefixes: 'P_1' }))).problemes[0].message).to.include('P_1');
    expect((await erreurDe(s.creerCompte('gamma', 'admin', 'court'))).problemes[0].message).to.include('12 caractères');
    expect((await erreurDe(s.creerCompte('gamma', 'chef', 'mot de passe assez long'))).problemes[0].message).to.include('rôle inconnu');
    expect((await erreurDe(s.rotation('inconnu'))).problemes[0].code).to.equal('RESSOURCE_INTROUVABLE');
  });

  it("configuree : vrai avec API_KEYS ; sans, vrai dès qu'une clé ou un compte actif existe, faux après révocation", async () => {
    expect(await s.configuree()).to.equal(true);
    const sans = new ServiceIdentites(unite);
    expect(await sans.configuree()).to.equal(false);
    await sans.creerClient('seul');
    expect(await sans.configuree()).to.equal(true);
    await sans.revoquer('seul');
    expect(await sans.configuree()).to.equal(false);
  });
});

describe("cas d'usage — portées et préfixes dans le pipeline (dépôts en mémoire)", () => {
  let p: PasserelleMemoire;
  beforeEach(async () => {
    p = await composerEnMemoire();
  });
  afterEach(async () => {
    await p.fermer();
  });

  it('hors portée : 403 PORTEE_INSUFFISANTE, rien écrit, une ligne de journal REJETE', async () => {
    const e = await erreurDe(p.pipeline.executer(contexte({ portees: new Set(['opi:lire']) }), 'opi.enregistrer', { corps: opiExemple('EC26000001') }));
    expect(e.status).to.equal(403);
    expect(e.problemes[0]).to.include({ code: 'PORTEE_INSUFFISANTE' });
    expect(e.problemes[0].message).to.include('opi:ecrire');
    expect(p.unite.lignes('individuOpi')).to.have.length(0);
    expect(p.unite.lignes('journal').map((l) => `${l.resultat}:${l.statut}:${l.codes}`)).to.deep.equal(['REJETE:403:PORTEE_INSUFFISANTE']);
  });

  it('préfixes : un client lié à P écrit P…, pas EC… (403 OPI_HORS_PERIMETRE) ; sa recherche ne rend que ses OPI', async () => {
    const tout = contexte();
    await p.pipeline.executer(tout, 'opi.enregistrer', { corps: opiExemple('EC26000001', { ine: null, nom: 'Martin', dateNai: '2006-01-02' }) });
    const plateforme = contexte({ client: 'parcoursup', portees: new Set(['opi:ecrire', 'opi:lire']), prefixesOpi: ['P'] });
    const e = await erreurDe(p.pipeline.executer(plateforme, 'opi.enregistrer', { corps: opiExemple('EC26000002') }));
    expect(e.status).to.equal(403);
    expect(e.problemes[0].code).to.equal('OPI_HORS_PERIMETRE');
    expect((await erreurDe(p.pipeline.executer(plateforme, 'opi.lire', 'EC26000001'))).problemes[0].code).to.equal('OPI_HORS_PERIMETRE');
    const ok = await p.pipeline.executer(plateforme, 'opi.enregistrer', {
      corps: opiExemple('P26000003', { ine: null, nom: 'Martin', dateNai: '2006-01-02' }),
    });
    expect(ok.statut).to.equal(201);
    const trouves = await p.pipeline.executer<{ resultats: { codOpiIntEpo: string }[] }>(plateforme, 'opi.rechercher', {
      nom: 'Martin',
      dateNaissance: '2006-01-02',
    });
    expect(trouves.valeur!.resultats.map((o) => o.codOpiIntEpo)).to.deep.equal(['P26000003']);
    const parTous = await p.pipeline.executer<{ resultats: { codOpiIntEpo: string }[] }>(tout, 'opi.rechercher', {
      nom: 'Martin',
      dateNaissance: '2006-01-02',
    });
    expect(parTous.valeur!.resultats.map((o) => o.codOpiIntEpo).sort()).to.deep.equal(['EC26000001', 'P26000003']);
  });
});

describe('sécurité — le document OpenAPI le dit', () => {
  it('schémas de sécurité (clé, porteur, Basic, session de la console) pour tout, sauf santé, disponibilité et documentation ; chaque opération nomme sa portée', () => {
    const doc = documentOpenApi() as {
      security: unknown[];
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[]; 'x-operation'?: string; 'x-portee'?: string; responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.components.securitySchemes)).to.have.members(['cleApi', 'porteur', 'basic', 'session']);
    expect(doc.security).to.have.length(4);
    expect(doc.paths['/api/v1/session'].post.security).to.deep.equal([]);
    expect(doc.paths['/health'].get.security).to.deep.equal([]);
    expect(doc.paths['/api/v1/docs'].get.security).to.deep.equal([]);
    expect(doc.paths['/metrics'].get.security).to.equal(undefined);
    for (const ops of Object.values(doc.paths))
      for (const o of Object.values(ops)) {
        if (!o['x-operation']) continue;
        expect(o['x-portee'], o['x-operation']).to.equal(OPERATIONS[o['x-operation'] as keyof typeof OPERATIONS].portee);
        expect(Object.keys(o.responses)).to.include.members(['401', '403']);
      }
  });
});

/**
 * Staff sessions of the console: sign-in with an account (JSON or an HTML form), an HttpOnly,
 * SameSite=Strict cookie holding a token stored as its hash only, CSRF token required on every change,
 * the role's scopes, idle timeout, sign-out, an account disabled mid-session; sessions in the database
 * (a second node serves them); CAS sign-in against a CAS protocol stub the test starts; CORS per origin.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { BASES } from '../helpers/bases';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';

const MOT_DE_PASSE = 'une phrase de passe assez longue';

/** The `gw_session=…` pair of a Set-Cookie header, and its attributes. */
function cookieDe(r: Response): { paire: string; attributs: string } {
  const brut = r.headers.get('set-cookie') ?? '';
  const [paire, ...attributs] = brut.split(';').map((x) => x.trim());
  return { paire, attributs: attributs.join('; ') };
}

async function connecter(gw: PasserelleDeTest, identifiant: string, motDePasse = MOT_DE_PASSE) {
  const r = await fetch(`${gw.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifiant, motDePasse }),
  });
  return {
    status: r.status,
    cookie: cookieDe(r),
    corps: (await r.json()) as { compte: string; role: string; csrf: string; portees: string[]; errors?: { code: string }[] },
  };
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] sessions de la console`, function () {
    this.timeout(60_000);
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, {});
      for (const [id, role] of [
        ['lecteur', 'lecture'],
        ['gestion', 'gestionnaire'],
        ['chef', 'admin'],
      ])
        await gw.p.services.identites.creerCompte(id, role, MOT_DE_PASSE, undefined, 'test');
    });
    after(async () => {
      await gw?.fermer();
    });
    const avec = (cookie: string, extra: Record<string, string> = {}) => ({ cookie, ...extra });

    it('connexion : mauvais mot de passe 401 sans cookie ; bon mot de passe 201, cookie HttpOnly SameSite=Strict, jeton gardé en empreinte seulement', async () => {
      const mauvais = await connecter(gw, 'lecteur', 'pas le bon mot de passe');
      expect(mauvais.status).to.equal(401);
      expect(mauvais.corps.errors![0].code).to.equal('CONNEXION_REFUSEE');
      expect(mauvais.cookie.paire).to.equal('');
      const r = await connecter(gw, 'lecteur');
      expect(r.status).to.equal(201);
      expect(r.corps).to.include({ compte: 'lecteur', role: 'lecture' });
      expect(r.corps.portees).to.include('opi:lire').and.not.include('opi:ecrire');
      expect(r.cookie.paire).to.match(/^gw_session=[\w-]{43}$/);
      expect(r.cookie.attributs)
        .to.match(/HttpOnly/)
        .and.match(/SameSite=Strict/i)
        .and.match(/Path=\//);
      const jeton = r.cookie.paire.split('=')[1];
      const lignes = await gw.p.source.query('SELECT id, compte FROM session_personnel');
      expect(lignes.map((l: { id: string }) => l.id)).to.include(createHash('sha256').update(jeton).digest('hex'));
      expect(JSON.stringify(lignes)).to.not.include(jeton);
      // A client's key opens no session.
      expect((await connecter(gw, 'gw_inexistant', 'x')).status).to.equal(401);
    });

    it('avec le cookie : lecture permise, modification sans jeton CSRF refusée (403 CSRF_INVALIDE), rôle lecture : 403 ; gestionnaire avec CSRF : écrit', async () => {
      const lecteur = await connecter(gw, 'lecteur');
      const gestion = await connecter(gw, 'gestion');
      expect((await fetch(`${gw.url}/api/v1/nomenclatures`, { headers: avec(lecteur.cookie.paire) })).status).to.equal(200);
      expect((await fetch(`${gw.url}/api/v1/nomenclatures`)).status).to.equal(401);
      const opi = JSON.stringify(opiExemple('SE26000001', { ine: null }));
      const ecrire = (cookie: string, extra: Record<string, string> = {}) =>
        fetch(`${gw.url}/api/v1/opi/SE26000001`, { method: 'PUT', headers: avec(cookie, { 'content-type': 'application/json', ...extra }), body: opi });
      const sansCsrf = await ecrire(gestion.cookie.paire);
      expect(sansCsrf.status).to.equal(403);
      expect(((await sansCsrf.json()) as { errors: { code: string }[] }).errors[0].code).to.equal('CSRF_INVALIDE');
      expect((await ecrire(gestion.cookie.paire, { 'x-csrf-token': lecteur.corps.csrf })).status).to.equal(403);
      const lecture = await ecrire(lecteur.cookie.paire, { 'x-csrf-token': lecteur.corps.csrf });
      expect(lecture.status).to.equal(403);
      expect(((await lecture.json()) as { errors: { code: string }[] }).errors[0].code).to.equal('PORTEE_INSUFFISANTE');
      expect((await ecrire(gestion.cookie.paire, { 'x-csrf-token': gestion.corps.csrf })).status).to.equal(201);
      const [ligne] = (await gw.json('GET', '/api/v1/journal?cle=SE26000001&resultat=CREE', undefined, { cookie: gestion.cookie.paire })).body.entrees;
      expect(ligne.client).to.equal('gestion');
    });

    it('GET /session dit qui, le rôle et le jeton CSRF ; formulaire HTML accepté ; déconnexion : le cookie ne sert plus, journalisée', async () => {
      const form = await fetch(`${gw.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ identifiant: 'chef', motDePasse: MOT_DE_PASSE }),
      });
      expect(form.status).to.equal(201);
      const cookie = cookieDe(form).paire;
      const moi = await gw.json('GET', '/api/v1/session', undefined, { cookie });
      expect(moi.status).to.equal(200);
      expect(moi.body).to.include({ compte: 'chef', role: 'admin' });
      expect(moi.body.portees).to.include('journal:rejouer');
      expect((await fetch(`${gw.url}/api/v1/session`, { method: 'DELETE', headers: { cookie } })).status).to.equal(403);
      const sortie = await fetch(`${gw.url}/api/v1/session`, { method: 'DELETE', headers: { cookie, 'x-csrf-token': moi.body.csrf } });
      expect(sortie.status).to.equal(204);
      expect(sortie.headers.get('set-cookie')).to.match(/gw_session=;/);
      expect((await gw.json('GET', '/api/v1/session', undefined, { cookie })).status).to.equal(401);
      const journal = (await gw.json('GET', '/api/v1/journal?client=chef&porte=REST', undefined, { cookie: (await connecter(gw, 'chef')).cookie.paire })).body
        .entrees;
      expect(journal.map((e: { operation: string }) => e.operation)).to.include.members(['session.ouvrir', 'session.fermer']);
    });

    it('inactivité au-delà du délai : la session est fermée ; compte désactivé : refusé à la requête suivante', async () => {
      const r = await connecter(gw, 'lecteur');
      const id = createHash('sha256').update(r.cookie.paire.split('=')[1]).digest('hex');
      await gw.p.source.query('UPDATE session_personnel SET vueLe = ? WHERE id = ?', [
        nomBase === 'sqlite' ? new Date(Date.now() - 31 * 60_000).toISOString().replace('T', ' ').replace('Z', '') : new Date(Date.now() - 31 * 60_000),
        id,
      ]);
      expect((await gw.json('GET', '/api/v1/session', undefined, { cookie: r.cookie.paire })).status).to.equal(401);
      expect(Number((await gw.p.source.query('SELECT COUNT(*) AS n FROM session_personnel WHERE id = ?', [id]))[0].n)).to.equal(0);
      const g = await connecter(gw, 'gestion');
      expect((await gw.json('GET', '/api/v1/session', undefined, { cookie: g.cookie.paire })).status).to.equal(200);
      await gw.p.services.identites.modifierCompte('gestion', { actif: false }, 'test');
      expect((await gw.json('GET', '/api/v1/session', undefined, { cookie: g.cookie.paire })).status).to.equal(401);
      await gw.p.services.identites.modifierCompte('gestion', { actif: true }, 'test');
    });

    if (nomBase === 'mariadb')
      it('la session est en base : un autre nœud la sert', async () => {
        const autre = await lancer('mariadb', {}, gw.base);
        try {
          const r = await connecter(gw, 'lecteur');
          const moi = await fetch(`${autre.url}/api/v1/session`, { headers: { cookie: r.cookie.paire } });
          expect(moi.status).to.equal(200);
          expect(((await moi.json()) as { compte: string }).compte).to.equal('lecteur');
        } finally {
          await autre.p.arreter();
        }
      });
  });
}

describe('[sqlite] connexion CAS (serveur CAS simulé par le test) et CORS', function () {
  this.timeout(60_000);
  let cas: http.Server;
  let gw: PasserelleDeTest;
  let urlCas: string;
  const tickets = new Map<string, string>();
  before(async () => {
    // The CAS protocol 3 as ESUP's CAS serves it: /login redirects with a ticket, /p3/serviceValidate vouches for it once.
    cas = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://cas');
      if (u.pathname === '/cas/login') {
        const ticket = `ST-${tickets.size + 1}-test`;
        tickets.set(ticket, `${u.searchParams.get('service')}|${u.searchParams.get('utilisateur') ?? 'gestion'}`);
        const service = new URL(u.searchParams.get('service')!);
        service.searchParams.set('ticket', ticket);
        res.writeHead(302, { location: service.toString() }).end();
      } else if (u.pathname === '/cas/p3/serviceValidate') {
        const attendu = tickets.get(u.searchParams.get('ticket') ?? '');
        tickets.delete(u.searchParams.get('ticket') ?? '');
        const [service, user] = (attendu ?? '|').split('|');
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(
          attendu && service === u.searchParams.get('service')
            ? `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>${user}</cas:user></cas:authenticationSuccess></cas:serviceResponse>`
            : `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationFailure code="INVALID_TICKET">Ticket inconnu</cas:authenticationFailure></cas:serviceResponse>`,
        );
      } else res.writeHead(404).end();
    });
    await new Promise<void>((ok) => cas.listen(0, '127.0.0.1', ok));
    urlCas = `http://127.0.0.1:${(cas.address() as AddressInfo).port}/cas`;
    gw = await lancer('sqlite', { CAS_URL: urlCas, CORS_ORIGINS: 'https://console.universite.example' });
    await gw.p.services.identites.creerCompte('gestion', 'gestionnaire', MOT_DE_PASSE, undefined, 'test');
  });
  after(async () => {
    await gw?.fermer();
    await new Promise((ok) => cas.close(ok));
  });

  /** The browser's round trip: gateway → CAS login → back to the gateway with a ticket. */
  async function parCas(utilisateur: string) {
    const depart = await fetch(`${gw.url}/api/v1/session/cas?retour=/console/jobs`, { redirect: 'manual' });
    expect(depart.status).to.equal(302);
    const versCas = new URL(depart.headers.get('location')!);
    expect(`${versCas.origin}${versCas.pathname}`).to.equal(`${urlCas}/login`);
    versCas.searchParams.set('utilisateur', utilisateur);
    const retour = await fetch(versCas, { redirect: 'manual' });
    return fetch(retour.headers.get('location')!, { redirect: 'manual' });
  }

  it('un compte de la passerelle : session ouverte par CAS, renvoyé vers la page demandée ; un inconnu : 403 COMPTE_INCONNU ; un ticket rejoué : 401', async () => {
    const r = await parCas('gestion');
    expect(r.status).to.equal(302);
    expect(r.headers.get('location')).to.equal('/console/jobs');
    const cookie = cookieDe(r).paire;
    const moi = await gw.json('GET', '/api/v1/session', undefined, { cookie });
    expect(moi.body).to.include({ compte: 'gestion', role: 'gestionnaire', cas: true });
    const inconnu = await parCas('personne');
    expect(inconnu.status).to.equal(403);
    expect(((await inconnu.json()) as { errors: { code: string }[] }).errors[0].code).to.equal('COMPTE_INCONNU');
    const rejoue = await fetch(`${gw.url}/api/v1/session/cas/retour?ticket=ST-1-test&retour=/console/`, { redirect: 'manual' });
    expect(rejoue.status).to.equal(401);
    expect(((await rejoue.json()) as { errors: { code: string; message: string }[] }).errors[0].message).to.include('INVALID_TICKET');
    // Never sent elsewhere than the gateway.
    const ailleurs = await fetch(`${gw.url}/api/v1/session/cas?retour=//evil.example/x`, { redirect: 'manual' });
    expect(new URL(new URL(ailleurs.headers.get('location')!).searchParams.get('service')!).searchParams.get('retour')).to.equal('/console/');
  });

  it('CORS : l’origine configurée reçoit les en-têtes, une autre non', async () => {
    const pre = await fetch(`${gw.url}/api/v1/opi/EC26000001`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://console.universite.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x-api-key,content-type',
      },
    });
    expect(pre.status).to.equal(204);
    expect(pre.headers.get('access-control-allow-origin')).to.equal('https://console.universite.example');
    expect(pre.headers.get('access-control-allow-headers')).to.match(/X-Api-Key/i);
    const autre = await fetch(`${gw.url}/api/v1/nomenclatures`, { headers: { origin: 'https://ailleurs.example' } });
    expect(autre.headers.get('access-control-allow-origin')).to.equal(null);
  });
});

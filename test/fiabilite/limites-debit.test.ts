/**
 * Rate limits on a real gateway: an authenticated flood gets 429 + Retry-After while another client
 * keeps being served (its latency during the flood is printed), an unauthenticated flood is limited per
 * address and leaves aggregated journal rows only, and two nodes sharing Redis share one budget.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { BASES, nouvelleBase } from '../helpers/bases';
import { demarrer } from '../../src/server';
import { lireConfig } from '../../src/config';
import { lancer, type PasserelleDeTest } from '../helpers/passerelle';

const REDIS = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisRepond(): Promise<boolean> {
  const c = createClient({ url: REDIS, socket: { connectTimeout: 1000, reconnectStrategy: false } });
  c.on('error', () => undefined);
  try {
    await c.connect();
    return (await c.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (c.isOpen) await c.quit();
  }
}

const centile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

for (const nomBase of BASES) {
  describe(`[${nomBase}] limites de débit`, function () {
    // Names unique per run: the Redis counters of another run (same minute) are not ours.
    const suffixe = randomBytes(3).toString('hex');
    const [A, B] = [`inondeur-${suffixe}`, `voisin-${suffixe}`];
    const [CLE_A, CLE_B] = ['cle-client-inondeur-0001', 'cle-client-voisin-00001'];
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase, { API_KEYS: `${A}:${CLE_A},${B}:${CLE_B}`, RATE_LIMIT_CLIENT: '100', RATE_LIMIT_ADRESSE: '30' });
    });
    after(async () => {
      await gw?.fermer();
    });

    it('un client qui inonde reçoit 429 TROP_DE_REQUETES avec Retry-After au-delà de son budget ; un autre client reste servi', async () => {
      const statuts: number[] = [];
      const latencesB: number[] = [];
      let premier429: Response | undefined;
      const inonder = async () => {
        for (let i = 0; i < 60; i++) {
          const r = await fetch(`${gw.url}/api/v1/nomenclatures`, { headers: { 'x-api-key': CLE_A } });
          statuts.push(r.status);
          if (r.status === 429 && !premier429) premier429 = r;
          else await r.arrayBuffer();
        }
      };
      const voisin = async () => {
        for (let i = 0; i < 40; i++) {
          const t = performance.now();
          const r = await fetch(`${gw.url}/api/v1/nomenclatures`, { headers: { 'x-api-key': CLE_B } });
          await r.arrayBuffer();
          latencesB.push(performance.now() - t);
          expect(r.status).to.equal(200);
        }
      };
      await Promise.all([inonder(), inonder(), inonder(), inonder(), voisin()]);
      expect(statuts.filter((s) => s === 200)).to.have.length(100);
      expect(statuts.filter((s) => s === 429)).to.have.length(140);
      expect(premier429!.headers.get('retry-after')).to.match(/^\d+$/);
      const corps = (await premier429!.json()) as { errors: { code: string; message: string }[] };
      expect(corps.errors[0].code).to.equal('TROP_DE_REQUETES');
      expect(corps.errors[0].message).to.include('100 par minute');
      console.log(
        `      inondation : ${statuts.length} requêtes du client A (${statuts.filter((s) => s === 429).length} × 429) ; client B servi 40/40, latence p50 ${centile(latencesB, 50).toFixed(1)} ms, p99 ${centile(latencesB, 99).toFixed(1)} ms`,
      );
      // The refusals are journaled aggregated: one row per client and minute (two at a minute boundary).
      const j = await gw.json('GET', '/api/v1/journal?resultat=REJETE&limite=200', undefined, { 'x-api-key': CLE_B });
      const lignes = j.body.entrees.filter((e: { codes: string[] }) => e.codes?.includes('TROP_DE_REQUETES'));
      expect(lignes.length).to.be.within(1, 2);
      expect(lignes.reduce((n: number, e: { nombre: number }) => n + e.nombre, 0)).to.equal(140);
    });

    it('sans identifiant valide : limité par adresse (401 puis 429), jamais une ligne de journal par requête', async () => {
      const statuts: number[] = [];
      for (let i = 0; i < 50; i++) {
        const r = await fetch(`${gw.url}/api/v1/opi/EC26000001`, { headers: i % 2 ? { 'x-api-key': 'mauvaise-cle-0000000000' } : {} });
        statuts.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuts.slice(0, 30).every((s) => s === 401)).to.equal(true);
      expect(statuts.slice(30).every((s) => s === 429)).to.equal(true);
      await gw.p.services.pipeline.refusAgreges.vider();
      const j = await gw.json('GET', '/api/v1/journal?limite=200&resultat=REJETE', undefined, { 'x-api-key': CLE_B });
      const parCode = (code: string) =>
        j.body.entrees.filter(
          (e: { codes: string[]; cle: string | null; client: string }) => e.codes?.includes(code) && e.cle?.startsWith('adresse:') && e.client === 'anonyme',
        );
      expect(parCode('AUTHENTIFICATION_REQUISE').reduce((n: number, e: { nombre: number }) => n + e.nombre, 0)).to.equal(30);
      expect(parCode('AUTHENTIFICATION_REQUISE').length).to.be.within(1, 2);
      expect(parCode('TROP_DE_REQUETES').reduce((n: number, e: { nombre: number }) => n + e.nombre, 0)).to.equal(20);
      // The health probes are never limited, nor Parcoursup's pushes (it authenticates in the body).
      expect((await fetch(`${gw.url}/ready`)).status).to.equal(200);
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${gw.url}/api/v1/parcoursup/admissionCandidat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ identifiant: { login: 'psup', pwd: 'faux' }, donneesCandidat: {} }),
        });
        expect(r.status).to.not.equal(429);
        expect(((await r.json()) as { retour: string }).retour).to.equal('NOK');
      }
    });
  });
}

describe('limites de débit partagées par Redis (deux nœuds)', function () {
  let present = false;
  before(async function () {
    present = await redisRepond();
    if (!present) {
      if (process.env.TEST_REDIS === 'obligatoire') throw new Error(`Redis ne répond pas sur ${REDIS} alors que TEST_REDIS=obligatoire`);
      console.log(`      (Redis absent sur ${REDIS} : test sauté)`);
      this.skip();
    }
  });

  it('un REDIS_URL qui ne répond pas : le démarrage échoue vite avec un message qui le nomme (pas une attente sans fin)', async () => {
    const base = await nouvelleBase('sqlite');
    try {
      const t = Date.now();
      const err = await demarrer({ ...lireConfig({ LOG_LEVEL: 'error', REDIS_URL: 'redis://127.0.0.1:1' }), base: base.config }, { arrierePlan: false }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.include('REDIS_URL=redis://127.0.0.1:1 ne répond pas');
      expect(Date.now() - t).to.be.below(15_000);
    } finally {
      await base.supprimer();
    }
  });

  it('deux passerelles sur le même Redis : un seul budget pour le client, réparti entre elles', async () => {
    const nom = `partage-${randomBytes(3).toString('hex')}`;
    const cle = 'cle-client-partage-00001';
    const env = { API_KEYS: `${nom}:${cle}`, RATE_LIMIT_CLIENT: '40', REDIS_URL: REDIS };
    const gw1 = await lancer('sqlite', env);
    const gw2 = await lancer('sqlite', env);
    try {
      const statuts: number[] = [];
      for (let i = 0; i < 60; i++) {
        const r = await fetch(`${(i % 2 ? gw2 : gw1).url}/api/v1/nomenclatures`, { headers: { 'x-api-key': cle } });
        statuts.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuts.filter((s) => s === 200)).to.have.length(40);
      expect(statuts.filter((s) => s === 429)).to.have.length(20);
    } finally {
      await gw1.fermer();
      await gw2.fermer();
    }
  });
});

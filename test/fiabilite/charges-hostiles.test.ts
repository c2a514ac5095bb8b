/**
 * Generated hostile payloads (fast-check) against every door of a real gateway: each must be refused
 * with a code of the catalogue — REST 4xx, SOAP a client Fault — never ERREUR_INTERNE, within a hang
 * bound, the process alive and the database unchanged. Every payload carries at least one sure fault
 * (a forbidden character, a wrong type, a broken structure), so none may be accepted. Counts printed.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASES } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { opiExemple } from '../helpers/exemples';
import { problemesFault } from '../helpers/portes';
import { CATALOGUE } from '../../src/domain/errors';

const GRAINE = Number(process.env.FC_GRAINE ?? 20261201);
const PAR_PORTE = Number(process.env.FC_ESSAIS ?? 130);
const BORNE_MS = 10_000;
const CODES = new Set(Object.keys(CATALOGUE));

/** A value that is never acceptable in a text field. */
const textePoison = fc.oneof(
  fc.constantFrom('\u0000', '\uD800', '\u001B', '\uFEFF', '\u007F').chain((c) => fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${c}${b}`)),
);
/** A value of the wrong kind for any field. */
const valeurHostile = fc.oneof(
  textePoison,
  fc.constant(null).map(() => ({ $where: '1' })),
  fc.array(fc.jsonValue(), { maxLength: 5 }),
  fc.double(),
  fc.boolean(),
  fc.string({ minLength: 5000, maxLength: 20000 }),
);

/** Replaces one leaf of `objet` (chosen by `n`) by `v`. */
function remplacerFeuille(objet: unknown, n: number, v: unknown): unknown {
  const feuilles: { parent: Record<string, unknown>; cle: string }[] = [];
  const parcourir = (x: unknown) => {
    if (x && typeof x === 'object')
      for (const [k, y] of Object.entries(x as Record<string, unknown>)) {
        if (y && typeof y === 'object') parcourir(y);
        else feuilles.push({ parent: x as Record<string, unknown>, cle: k });
      }
  };
  const copie = JSON.parse(JSON.stringify(objet));
  parcourir(copie);
  const f = feuilles[n % feuilles.length];
  f.parent[f.cle] = v;
  return copie;
}

const lpValide = { typLpa: 'REINS', codAnu: '2026', codEtu: '21000001', codEtp: 'LDRT2', codVrsVet: 2, codRgi: '1' };

/** A JSON body: a valid record with one leaf poisoned (and maybe more noise), or a broken JSON text. */
function corpsJson(valide: unknown): fc.Arbitrary<string> {
  return fc.oneof(
    // One leaf surely poisoned, maybe another made hostile.
    fc.tuple(fc.nat(), textePoison, fc.nat(), fc.option(valeurHostile)).map(([n, poison, m, w]) => {
      const une = remplacerFeuille(valide, n, poison);
      return JSON.stringify(w === null ? une : remplacerFeuille(une, m + 1, w));
    }),
    fc.jsonValue().map((v) => JSON.stringify([v])),
    fc.string().map((s) => `{"individu": ${JSON.stringify(s)}`),
    fc.integer({ min: 40, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => `{"x":"${Buffer.from(b).toString('latin1')}\u0000"}`),
  );
}

const ENVELOPPE = (ns: string, op: string, corps: string, entete = '') =>
  `<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">${entete}<soapenv:Body><ns0:${op} xmlns:ns0="${ns}">${corps}</ns0:${op}></soapenv:Body></soapenv:Envelope>`;

/** A SOAP message broken somewhere: DOCTYPE, wrong namespace, two Bodies, deep nesting, forbidden character, bad XML, unknown operation. */
function messageSoap(ns: string, op: string, valide: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string().map((s) => `<!DOCTYPE x [<!ENTITY e "${s.replace(/"/g, '')}">]>${ENVELOPPE(ns, op, '&e;')}`),
    fc.constantFrom('urn:evil', '', 'http://schemas.xmlsoap.org/soap/envelope/').map((autre) => ENVELOPPE(autre, op, valide)),
    fc.constant(ENVELOPPE(ns, op, valide).replace('</soapenv:Body>', '</soapenv:Body><soapenv:Body/>')),
    fc.integer({ min: 70, max: 3000 }).map((n) => ENVELOPPE(ns, op, `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`)),
    fc.tuple(fc.nat(), textePoison).map(([n, t]) => {
      // A forbidden character inside one text node of the valid body.
      const morceaux = valide.split(/(>[^<]+<)/);
      const i = morceaux.findIndex((m, j) => j >= n % Math.max(1, morceaux.length) && m.startsWith('>'));
      const k = i >= 0 ? i : morceaux.findIndex((m) => m.startsWith('>'));
      // (NUL cannot travel in XML at all: it becomes a BOM, which can.)
      const sur = t.replace(/[<>&]/g, '').replaceAll('\u0000', '\uFEFF');
      if (k >= 0)
        morceaux[k] = `>${sur.includes('\uFEFF') || sur.includes('\uD800') || sur.includes('\u001B') || sur.includes('\u007F') ? sur : `${sur}\uFEFF`}<`;
      return ENVELOPPE(ns, op, morceaux.join(''));
    }),
    fc
      .string({ maxLength: 300 })
      .map((s) => `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>${s.replace(/</g, '')}<`),
    fc.stringMatching(/^[a-z]{1,20}$/).map((x) => ENVELOPPE(ns, `inconnue${x}`, valide)),
    fc.constant('<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body></soapenv:Body></soapenv:Envelope>'),
  );
}

/** A bulk CSV whose every data row has a sure fault (forbidden character, unknown étape, bad number), or a broken header. */
const fichierCsv = fc.oneof(
  fc
    .array(fc.tuple(textePoison, fc.constantFrom('LDRT2', 'ZZZZ9'), fc.oneof(fc.constant('2'), fc.string({ maxLength: 4 }))), { minLength: 1, maxLength: 20 })
    .map((lignes) =>
      [
        'typLpa;codAnu;numOPI;codEtu;codEtp;codVrsVet;codRgi',
        ...lignes.map(([t, e, v], i) => `REINS;2026;;${21000000 + i};${e};${v};1${t.replace(/[;\n\r"]/g, '')}`),
      ].join('\n'),
    ),
  fc
    .array(
      fc.string({ minLength: 1, maxLength: 12 }).filter((c) => !/[;\n\r"]/.test(c)),
      { minLength: 1, maxLength: 8 },
    )
    .map((cols) => `${cols.join(';')}\n1;2;3`),
);

interface Bilan {
  essais: number;
}

async function verifierRest(gw: PasserelleDeTest, methode: string, chemin: string, corps: string | undefined, type = 'application/json'): Promise<void> {
  const debut = Date.now();
  const r = await fetch(`${gw.url}${chemin}`, { method: methode, headers: { 'content-type': type }, body: corps, signal: AbortSignal.timeout(BORNE_MS) });
  const texte = await r.text();
  expect(Date.now() - debut).to.be.below(BORNE_MS);
  const json = JSON.parse(texte) as { errors?: { code: string }[]; creees?: number; resultats?: { statut: string; erreurs: { code: string }[] }[] };
  // A list answers 200 with a result per item (the documented contract): every item refused, nothing created.
  if (r.status === 200 && json.resultats) {
    expect(json.creees).to.equal(0);
    for (const x of json.resultats) {
      expect(x.statut, texte.slice(0, 300)).to.equal('REJETE');
      for (const e of x.erreurs) expect(CODES.has(e.code) && e.code !== 'ERREUR_INTERNE', e.code).to.equal(true);
    }
    return;
  }
  expect(r.status, `${methode} ${chemin} ${texte.slice(0, 300)} ← ${corps?.slice(0, 200)}`).to.be.within(400, 499);
  const codes = json.errors?.map((e) => e.code) ?? [];
  expect(codes.length, texte.slice(0, 200)).to.be.greaterThan(0);
  for (const c of codes) expect(CODES.has(c) && c !== 'ERREUR_INTERNE', `${c} ← ${corps?.slice(0, 200)}`).to.equal(true);
}

async function verifierSoap(gw: PasserelleDeTest, service: string, xml: string): Promise<void> {
  const r = await fetch(`${gw.url}/ws/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8' },
    body: xml,
    signal: AbortSignal.timeout(BORNE_MS),
  });
  const texte = await r.text();
  expect(r.status, texte.slice(0, 300)).to.equal(500);
  // The door's refusals are Client faults; a refusal by the use case is a Server fault, as Apogée's
  // WebBaseException is on the wire (the golden samples): both carry the catalogue's code.
  expect(texte, `${texte.slice(0, 400)} ← ${xml.slice(0, 300)}`).to.match(/<faultcode>soapenv:(Client|Server)<\/faultcode>/);
  expect(texte).to.match(/<detail><ns1:fault /);
  const codes = problemesFault(texte).map((p) => p.code);
  expect(codes.length).to.be.greaterThan(0);
  for (const c of codes) expect(CODES.has(c) && c !== 'ERREUR_INTERNE', c).to.equal(true);
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] charges hostiles générées (fast-check)`, function () {
    this.timeout(300_000);
    let gw: PasserelleDeTest;
    const comptes: Record<string, Bilan> = {};
    let avant: Record<string, number>;
    const tables = ['individu_opi', 'voeu_opi', 'laissez_passer', 'inscription', 'piece_opi', 'client_api'];
    const compter = async () =>
      Object.fromEntries(await Promise.all(tables.map(async (t) => [t, Number((await gw.p.source.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)])));
    before(async () => {
      gw = await lancer(nomBase);
      // One stored OPI and one LP: hostile updates must leave them as they are.
      expect((await gw.json('PUT', '/api/v1/opi/EC26990001', opiExemple('EC26990001'))).status).to.equal(201);
      expect((await gw.json('POST', '/api/v1/laissez-passer', lpValide)).status).to.equal(201);
      avant = await compter();
    });
    after(async () => {
      const total = Object.values(comptes).reduce((n, b) => n + b.essais, 0);
      console.log(
        `      ${total} charges hostiles : ${Object.entries(comptes)
          .map(([p, b]) => `${p} ${b.essais}`)
          .join(', ')} ; ERREUR_INTERNE : 0`,
      );
      await gw?.fermer();
    });
    afterEach(async () => {
      expect(await compter()).to.deep.equal(avant);
      expect((await fetch(`${gw.url}/health`)).status).to.equal(200);
    });

    const porte = <T>(nom: string, arb: fc.Arbitrary<T>, verifier: (x: T) => Promise<void>) =>
      it(`${nom} : ${PAR_PORTE} charges refusées avec un code du catalogue`, async () => {
        comptes[nom] = { essais: 0 };
        await fc.assert(
          fc.asyncProperty(arb, async (x) => {
            comptes[nom].essais++;
            await verifier(x);
          }),
          { numRuns: PAR_PORTE, seed: GRAINE, endOnFailure: true },
        );
      });

    porte('REST PUT /opi', corpsJson(opiExemple('EC26990001')), (x) => verifierRest(gw, 'PUT', '/api/v1/opi/EC26990001', x));
    porte('REST POST /laissez-passer', corpsJson(lpValide), (x) => verifierRest(gw, 'POST', '/api/v1/laissez-passer', x));
    porte('REST POST /laissez-passer/lot', corpsJson({ laissezPasser: [lpValide], mode: 'tout-ou-rien' }), (x) =>
      verifierRest(gw, 'POST', '/api/v1/laissez-passer/lot', x),
    );
    porte('REST POST /inscriptions', corpsJson({ codOpiIntEpo: 'EC26990001', codEtp: 'LDRT1', codVrsVet: 2 }), (x) =>
      verifierRest(gw, 'POST', '/api/v1/inscriptions', x),
    );
    porte(
      'REST GET (paramètres)',
      fc.tuple(
        fc.constantFrom(
          '/api/v1/opi?ine=',
          '/api/v1/laissez-passer?codAnu=',
          '/api/v1/journal?depuis=',
          '/api/v1/jobs?limite=',
          '/api/v1/acces?codAnu=',
          '/api/v1/opi/',
        ),
        fc.string({ maxLength: 20 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
        // Percent-encodings of forbidden characters, and of bytes that are no UTF-8 at all.
        fc.constantFrom('%00', '%1B', '%EF%BB%BF', '%ED%A0%80', '%7F', '%FF%FE', '%C0%AF'),
      ),
      async ([chemin, s, poison]) => {
        const r = await fetch(`${gw.url}${chemin}${encodeURIComponent(s)}${poison}`, { signal: AbortSignal.timeout(BORNE_MS) });
        const texte = await r.text();
        expect(r.status, `${chemin} ${texte.slice(0, 200)}`).to.be.within(400, 499);
        expect(texte).to.not.include('ERREUR_INTERNE');
      },
    );
    porte('fichier LP (CSV)', fichierCsv, async (csv) => {
      const r = await fetch(`${gw.url}/api/v1/laissez-passer/bulk?mode=tout-ou-rien&attendre=1`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: csv,
        signal: AbortSignal.timeout(BORNE_MS * 3),
      });
      const corps = (await r.json()) as { etat?: string; creees?: number; errors?: { code: string }[] };
      if (r.status >= 400) {
        expect(r.status).to.be.below(500);
        for (const e of corps.errors ?? []) expect(e.code).to.not.equal('ERREUR_INTERNE');
      } else {
        // Refused as a whole (all-or-nothing, or a file that cannot be read: its code says why).
        expect(corps.etat, JSON.stringify(corps)).to.be.oneOf(['REJETE', 'TERMINE', 'ECHOUE']);
        const erreurs = (corps as { erreur?: { code: string }[] }).erreur ?? [];
        for (const e of erreurs) expect(CODES.has(e.code) && e.code !== 'ERREUR_INTERNE', e.code).to.equal(true);
      }
      expect(corps.creees ?? 0).to.equal(0);
    });
    const opiSoap = readFileSync(path.join(RACINE, 'test', 'golden', 'mettreajourDonneesOpi_v10__jaxb-tous-elements', 'request.xml'), 'utf8').replace(
      /\{\{annee\}\}/g,
      '2026',
    );
    const corpsOpiSoap =
      /<ns0:mettreajourDonneesOpi_v10[^>]*>([\s\S]*)<\/ns0:mettreajourDonneesOpi_v10>/.exec(opiSoap)?.[1]
      ?? /<\w+:mettreajourDonneesOpi_v10[^>]*>([\s\S]*)<\/\w+:mettreajourDonneesOpi_v10>/.exec(opiSoap)![1];
    porte('SOAP OpiMetier', messageSoap('gouv.education.apogee.commun.servicesmetiers.OpiMetier', 'mettreajourDonneesOpi_v10', corpsOpiSoap), (x) =>
      verifierSoap(gw, 'OpiMetier', x),
    );
    porte(
      'SOAP LaissezPasserMetier',
      messageSoap(
        'gouv.education.apogee.commun.servicesmetiers.LaissezPasserMetier',
        'mettreAJourLaissezPasserWS_V2',
        '<typLpa>REINS</typLpa><codAnu>2026</codAnu><codEtu>21000002</codEtu><codEtp>LDRT2</codEtp><codVrsVet>2</codVrsVet><codRgi>1</codRgi>',
      ),
      (x) => verifierSoap(gw, 'LaissezPasserMetier', x),
    );
    porte(
      'Parcoursup admissionCandidat',
      fc.oneof(
        fc.jsonValue().map((v) => JSON.stringify(v)),
        fc.string({ maxLength: 500 }),
        fc.integer({ min: 40, max: 2000 }).map((n) => `{"identifiant":${'['.repeat(n)}`),
      ),
      async (x) => {
        const r = await fetch(`${gw.url}/api/v1/parcoursup/admissionCandidat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: x,
          signal: AbortSignal.timeout(BORNE_MS),
        });
        const corps = (await r.json()) as { retour: string; message: string };
        // Parcoursup's own contract: NOK with a French reason (its documented 500, or 401 for a refused identifiant).
        expect(corps.retour).to.equal('NOK');
        expect(corps.message).to.be.a('string').and.not.include('ERREUR_INTERNE');
      },
    );
  });
}

/**
 * Golden SOAP samples, every WSDL operation and the door itself, on every test database: each folder
 * of test/golden/ is one raw request sent to the gateway and the exact envelope it must answer, the
 * HTTP status, and the one audit-journal row it must leave (porte SOAP). Convention: test/golden/README.md.
 *
 * `GOLDEN_ECRIRE=1` (SQLite run) rewrites response.xml (and journal.json where there is one, or for a
 * new sample) from what the gateway answers, normalised with the placeholders; READ them before committing.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASES, type NomBase } from '../helpers/bases';
import { lancer, RACINE, type PasserelleDeTest } from '../helpers/passerelle';
import { aujourdhuiParis } from '../../src/application/horloge';
import { anneeCampagne } from '../../src/domain/campagne';

const DOSSIER_GOLDEN = path.join(RACINE, 'test', 'golden');
const ECRIRE = process.env.GOLDEN_ECRIRE === '1';

/** Operation → service (the WSDL file's name), read from the portTypes of wsdl/*.wsdl. */
function operationsDesWsdl(): Map<string, string> {
  const dossier = path.join(RACINE, 'wsdl');
  const m = new Map<string, string>();
  for (const f of readdirSync(dossier).filter((x) => x.endsWith('.wsdl'))) {
    const service = f.replace(/\.wsdl$/, '');
    const texte = readFileSync(path.join(dossier, f), 'utf8');
    for (const portType of texte.match(/<wsdl:portType[\s\S]*?<\/wsdl:portType>/g) ?? []) {
      for (const [, op] of portType.matchAll(/<wsdl:operation\s+name="([^"]+)"/g)) m.set(op, service);
    }
  }
  return m;
}
const OPERATIONS = operationsDesWsdl();
const SERVICES = new Set(OPERATIONS.values());

interface Http {
  methode: string;
  chemin: string;
  entetes: Record<string, string>;
  statut?: number;
}
interface Prealable {
  methode: string;
  chemin: string;
  corps?: unknown;
  garder?: Record<string, string>;
}
interface LigneJournal {
  porte: string;
  operation: string;
  resultat: string;
  statut: number;
  codes: string[];
}

interface Echantillon {
  nom: string;
  dossier: string;
  http: Http;
  env?: Record<string, string>;
  prealables: Prealable[];
}

function lireJson<T>(fichier: string): T | undefined {
  return existsSync(fichier) ? (JSON.parse(readFileSync(fichier, 'utf8')) as T) : undefined;
}

function echantillon(nom: string): Echantillon {
  const dossier = path.join(DOSSIER_GOLDEN, nom);
  const prefixe = nom.split('__')[0];
  const service = OPERATIONS.get(prefixe) ?? (SERVICES.has(prefixe) ? prefixe : undefined);
  const http = lireJson<Partial<Http>>(path.join(dossier, 'http.json')) ?? {};
  if (!service && !http.chemin) throw new Error(`${nom} : « ${prefixe} » n'est ni une opération ni un service des WSDL ; donnez le chemin dans http.json`);
  return {
    nom,
    dossier,
    http: {
      methode: http.methode ?? 'POST',
      chemin: http.chemin ?? `/ws/${service}`,
      entetes: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...http.entetes },
      statut: http.statut,
    },
    env: lireJson<Record<string, string>>(path.join(dossier, 'env.json')),
    prealables: lireJson<Prealable[]>(path.join(dossier, 'prealables.json')) ?? [],
  };
}

const ECHANTILLONS = readdirSync(DOSSIER_GOLDEN, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** `{{nom}}` → its value, for the known names only (`{{id}}`, `{{date-heure}}` stay: they are matched, not filled). */
function remplir(texte: string, variables: Record<string, string>): string {
  return texte.replace(/\{\{([\w-]+)\}\}/g, (tout, nom: string) => variables[nom] ?? tout);
}

/** Whitespace between tags removed; the dynamic values replaced by their placeholder. */
function normaliser(xml: string): string {
  return xml
    .replace(/>\s+</g, '><')
    .trim()
    .replace(/<id>\d+<\/id>/g, '<id>{{id}}</id>')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})/g, '{{date-heure}}');
}

/** A value at a dotted path of a JSON body (`inscription.id`, `laissezPasser.0.id`). */
function valeurA(corps: unknown, chemin: string): unknown {
  return chemin.split('.').reduce<unknown>((o, k) => (o === null || o === undefined ? undefined : (o as Record<string, unknown>)[k]), corps);
}

/** Headers for the REST calls of the runner: the first API key of the sample's env, if any. */
function entetesRest(env: Record<string, string> | undefined): Record<string, string> {
  const cle = env?.API_KEYS?.split(',')[0]?.split(':').slice(1).join(':');
  return cle ? { 'x-api-key': cle } : {};
}

async function jouer(gw: PasserelleDeTest, nomBase: NomBase, e: Echantillon): Promise<void> {
  const variables: Record<string, string> = { annee: anneeCampagne(aujourdhuiParis()) };
  const rest = entetesRest(e.env);
  for (const [i, p] of e.prealables.entries()) {
    const corps = p.corps === undefined ? undefined : JSON.parse(remplir(JSON.stringify(p.corps), variables));
    const r = await gw.json(p.methode, remplir(p.chemin, variables), corps, rest);
    expect(r.status, `préalable n° ${i + 1} (${p.methode} ${p.chemin}) : ${JSON.stringify(r.body)}`).to.be.within(200, 299);
    for (const [nom, chemin] of Object.entries(p.garder ?? {})) {
      const v = valeurA(r.body, chemin);
      expect(v, `préalable n° ${i + 1} : ${chemin} absent de la réponse`).to.not.equal(undefined);
      variables[nom] = String(v);
    }
  }

  const fichierRequete = path.join(e.dossier, 'request.xml');
  const requestId = randomUUID();
  const reponse = await fetch(gw.url + remplir(e.http.chemin, variables), {
    method: e.http.methode,
    headers: { ...e.http.entetes, 'x-request-id': requestId },
    // Byte for byte, whatever its encoding: the placeholders are ASCII, the other bytes pass through latin1 unchanged.
    body: existsSync(fichierRequete) ? Buffer.from(remplir(readFileSync(fichierRequete, 'latin1'), variables), 'latin1') : undefined,
  });
  const texte = await reponse.text();
  const obtenu = normaliser(texte);
  const journal = await gw.json('GET', `/api/v1/journal?porte=SOAP&requestId=${requestId}`, undefined, rest);
  const tout = await gw.json('GET', `/api/v1/journal?requestId=${requestId}`, undefined, rest);
  const lignes = (journal.body.entrees ?? []).map((l: LigneJournal) => ({
    porte: l.porte,
    operation: l.operation,
    resultat: l.resultat,
    statut: l.statut,
    codes: l.codes,
  }));

  const fichierReponse = path.join(e.dossier, 'response.xml');
  const fichierJournal = path.join(e.dossier, 'journal.json');
  if (ECRIRE && nomBase === 'sqlite') {
    // journal.json: rewritten where there is one, written for a new sample (no response.xml yet).
    if (existsSync(fichierJournal) || !existsSync(fichierReponse)) writeFileSync(fichierJournal, `${JSON.stringify(lignes[0] ?? null, null, 2)}\n`);
    writeFileSync(fichierReponse, `${obtenu.replace(new RegExp(`\\b${variables.annee}\\b`, 'g'), '{{annee}}')}\n`);
  }
  expect(existsSync(fichierReponse), `${fichierReponse} manque (GOLDEN_ECRIRE=1 pour l'écrire)`).to.equal(true);
  const attendu = normaliser(remplir(readFileSync(fichierReponse, 'utf8'), variables));

  // What every SOAP client gets: an envelope, text/xml UTF-8, 500 for a fault and 200 otherwise, nothing of Express.
  expect(reponse.status, texte).to.equal(e.http.statut ?? (/<\w+:Fault>/.test(attendu) ? 500 : 200));
  expect(reponse.headers.get('content-type')).to.equal('text/xml; charset=utf-8');
  expect(reponse.headers.get('x-powered-by')).to.equal(null);
  expect(texte).to.match(/^<\?xml version="1\.0" encoding="utf-8"\?><soapenv:Envelope xmlns:soapenv="http:\/\/schemas\.xmlsoap\.org\/soap\/envelope\/"/);
  expect(texte)
    .to.not.contain('ERREUR_INTERNE')
    .and.not.match(/at \w+ \(|Cannot read|TypeError/);
  expect(obtenu).to.equal(attendu);

  // Exactly one journal row for the message, on the SOAP door, written before the answer.
  expect(tout.body.entrees, JSON.stringify(tout.body)).to.have.length(1);
  expect(lignes).to.have.length(1);
  const journalAttendu = lireJson<LigneJournal>(fichierJournal);
  if (journalAttendu) expect(lignes[0]).to.deep.equal(journalAttendu);

  const stocke = lireJson<{ individu: { codOpiIntEpo: string } }>(path.join(e.dossier, 'stored.json'));
  if (stocke) {
    const lu = await gw.json('GET', `/api/v1/opi/${stocke.individu.codOpiIntEpo}`, undefined, rest);
    expect(lu.body.donnees).to.deep.equal(stocke);
  }
}

for (const nomBase of BASES) {
  describe(`[${nomBase}] SOAP — échantillons dorés (test/golden)`, function () {
    let gw: PasserelleDeTest;
    before(async () => {
      gw = await lancer(nomBase);
    });
    after(async () => {
      await gw?.fermer();
    });

    for (const nom of ECHANTILLONS) {
      it(nom, async () => {
        const e = echantillon(nom);
        if (!e.env) return jouer(gw, nomBase, e);
        // A sample with its own configuration gets its own gateway (and database).
        const propre = await lancer(nomBase, e.env);
        try {
          await jouer(propre, nomBase, e);
        } finally {
          await propre.fermer();
        }
      });
    }

    it("GET ?wsdl et GET sans ?wsdl (405, texte d'aide) : rien d'Express dans les en-têtes", async () => {
      for (const service of SERVICES) {
        const wsdl = await fetch(`${gw.url}/ws/${service}?wsdl`);
        expect(wsdl.status).to.equal(200);
        expect(wsdl.headers.get('content-type')).to.equal('text/xml; charset=utf-8');
        expect(wsdl.headers.get('x-powered-by')).to.equal(null);
        expect(await wsdl.text()).to.contain(`location="${gw.url}/ws/${service}"`);
        const aide = await fetch(`${gw.url}/ws/${service}`);
        expect(aide.status).to.equal(405);
        expect(aide.headers.get('x-powered-by')).to.equal(null);
        expect(await aide.text()).to.contain(`GET /ws/${service}?wsdl`);
      }
    });

    it('couvrent chaque opération de chaque WSDL, avec au moins un succès et un fault', () => {
      for (const op of OPERATIONS.keys()) {
        const siens = ECHANTILLONS.filter((n) => n.startsWith(`${op}__`));
        const faults = siens.filter((n) => readFileSync(path.join(DOSSIER_GOLDEN, n, 'response.xml'), 'utf8').includes(':Fault>'));
        expect(faults, `${op} : un échantillon de fault`).to.not.be.empty;
        expect(siens.length - faults.length, `${op} : un échantillon de succès`).to.be.greaterThan(0);
      }
    });
  });
}

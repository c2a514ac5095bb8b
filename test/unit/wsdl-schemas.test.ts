/**
 * The WSDLs stay hand-written (their element names and order ARE the Apogée wire contract), the JSON
 * Schemas are the single source of everything else: this test pins that the two say the same thing.
 * For every WSDL complex type that carries a JSON Schema record, it compares element names, their
 * ORDER (the xsd:sequence is the wire order; node-soap serialises in it), the xsd types
 * (int/long ↔ integer, decimal ↔ number, string ↔ string, boolean ↔ boolean) and, where the WSDL has
 * one, the maxLength facet. The WSDLs are parsed with a real XML parser (sax, namespace-aware).
 *
 * Where the two legitimately differ, the rule is written here, never by skipping a field:
 * - DATES: a SOAP date is an xsd:string (`ddMMyyyy` for the OPI, JJMMAAAA/JJ/MM/AAAA/ISO for the LP);
 *   the schema field is `type: string, format: date` (ISO). mappage-opi / canoniserLp convert.
 * - TABLEAU: Apogée's TableauVoeu3 is a wrapper (`modEnv`, then `item*` of the item type); the JSON
 *   field is an array of that item. `modEnv` has no JSON counterpart: accepted and ignored.
 * - LP_TEXTE: Apogée's LP operations carry every field as a plain xsd:string (our LaissezPasserV2DTO
 *   keeps that), so a schema integer (codVrsVet, codVrsVdi) travels as a digit string, canonicalised.
 * - NOM_V2: on the LP wire a field has its V2 name (`x-v2.nom`: numOPI for codOpiIntEpo), in `x-v2.rang`
 *   order; the V1 operation carries the `apogee-v1` fields with a leading underscore (`_typLpa`).
 * - LECTURE: a read DTO (InscriptionDTO, PaiementDTO) echoes the request record's fields it carries, in
 *   the schema's relative order and with the same types, among read-only fields of its own; a request
 *   field it carries elsewhere is named (numeroCvec → cvec/numero).
 * Every complex type and wrapper element of each WSDL is either compared or listed with the reason it
 * has no JSON Schema counterpart, so a new WSDL type cannot go unchecked.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sax from 'sax';
import { placesV2, resoudre, type PlaceV2 } from '../../src/application/champs';
import { schema } from '../../src/application/validation';

type Json = Record<string, unknown>;

const DOSSIER_WSDL = path.resolve(__dirname, '..', '..', '..', 'wsdl');
const XSD = 'http://www.w3.org/2001/XMLSchema';

/* ---------- a small namespace-aware DOM, built with sax ---------- */

interface Noeud {
  uri: string;
  local: string;
  attributs: Record<string, string>;
  /** In-scope namespace bindings (prefix → URI), to resolve QName attribute values. */
  ns: Record<string, string>;
  enfants: Noeud[];
}

function lireXml(texte: string): Noeud {
  const p = sax.parser(true, { xmlns: true });
  const pile: Noeud[] = [];
  let racine: Noeud | undefined;
  p.onerror = (e) => {
    throw e;
  };
  p.onopentag = (t) => {
    const tag = t as sax.QualifiedTag;
    const n: Noeud = {
      uri: tag.uri,
      local: tag.local,
      ns: tag.ns,
      enfants: [],
      attributs: Object.fromEntries(
        Object.values(tag.attributes)
          .filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns')
          .map((a) => [a.local, a.value]),
      ),
    };
    if (pile.length > 0) pile[pile.length - 1].enfants.push(n);
    else racine = n;
    pile.push(n);
  };
  p.onclosetag = () => {
    pile.pop();
  };
  p.write(texte).close();
  if (!racine) throw new Error('XML vide');
  return racine;
}

const enfants = (n: Noeud, local: string, uri = XSD) => n.enfants.filter((e) => e.local === local && e.uri === uri);
const enfant = (n: Noeud, local: string, uri = XSD) => enfants(n, local, uri)[0];

interface QName {
  uri: string;
  local: string;
}
function qname(n: Noeud, valeur: string | undefined): QName | undefined {
  if (valeur === undefined) return undefined;
  const [prefixe, local] = valeur.includes(':') ? valeur.split(':') : ['', valeur];
  const uri = n.ns[prefixe];
  if (uri === undefined) throw new Error(`préfixe inconnu dans ${valeur}`);
  return { uri, local };
}

/* ---------- the xsd model of a WSDL ---------- */

interface ElementXsd {
  nom: string;
  type?: QName;
  maxOccurs: string;
  /** From an inline simpleType or a named one: the built-in base and the maxLength facet. */
  restriction?: { base: QName; maxLength?: number };
}

interface ModeleXsd {
  tns: string;
  /** Named complex types and wrapper elements (inline complex type), by name: their xsd:sequence. */
  types: Map<string, ElementXsd[]>;
  elements: Map<string, ElementXsd[]>;
  simples: Map<string, { base: QName; maxLength?: number }>;
}

function restrictionDe(simple: Noeud | undefined): { base: QName; maxLength?: number } | undefined {
  const r = simple && enfant(simple, 'restriction');
  if (!r) return undefined;
  const max = enfant(r, 'maxLength');
  return { base: qname(r, r.attributs.base)!, ...(max ? { maxLength: Number(max.attributs.value) } : {}) };
}

function sequence(complexe: Noeud): ElementXsd[] {
  const seq = enfant(complexe, 'sequence');
  if (!seq) throw new Error(`complexType sans xsd:sequence`);
  return enfants(seq, 'element').map((e) => ({
    nom: e.attributs.name,
    type: qname(e, e.attributs.type),
    maxOccurs: e.attributs.maxOccurs ?? '1',
    restriction: restrictionDe(enfant(e, 'simpleType')),
  }));
}

function modele(texte: string): ModeleXsd {
  const defs = lireXml(texte);
  const schemaXsd = enfant(enfant(defs, 'types', 'http://schemas.xmlsoap.org/wsdl/'), 'schema');
  const m: ModeleXsd = { tns: schemaXsd.attributs.targetNamespace, types: new Map(), elements: new Map(), simples: new Map() };
  for (const c of enfants(schemaXsd, 'complexType')) m.types.set(c.attributs.name, sequence(c));
  for (const s of enfants(schemaXsd, 'simpleType')) m.simples.set(s.attributs.name, restrictionDe(s)!);
  for (const e of enfants(schemaXsd, 'element')) {
    const c = enfant(e, 'complexType');
    if (c) m.elements.set(e.attributs.name, sequence(c));
  }
  return m;
}

const modeleWsdl = (nom: string) => modele(readFileSync(path.join(DOSSIER_WSDL, `${nom}.wsdl`), 'utf8'));

/* ---------- comparison ---------- */

type Regle = 'DATES' | 'TABLEAU' | 'LP_TEXTE';

/** One expected wire element: its WSDL name and the schema property behind it. */
interface Attendu {
  nom: string;
  champ: string;
  schema: Json;
}

class Comparaison {
  readonly ecarts: string[] = [];
  readonly typesVus = new Set<string>();
  readonly reglesAppliquees = new Map<Regle, string[]>();
  facettesComparees = 0;

  constructor(
    readonly xsd: ModeleXsd,
    readonly racine: Json,
    readonly regles: ReadonlySet<Regle> = new Set(),
  ) {}

  private regle(r: Regle, ou: string): boolean {
    if (!this.regles.has(r)) return false;
    this.reglesAppliquees.set(r, [...(this.reglesAppliquees.get(r) ?? []), ou]);
    return true;
  }

  /** The properties of an object schema, under their own names, in schema order. */
  attendus(objet: Json): Attendu[] {
    return Object.entries((objet.properties ?? {}) as Record<string, Json>).map(([champ, s]) => ({ nom: champ, champ, schema: s }));
  }

  /** A whole sequence: same names in the same order, then each element against its property. */
  sequence(ou: string, seq: ElementXsd[], attendus: Attendu[], doc: Json = this.racine): void {
    const noms = seq.map((e) => e.nom);
    const voulus = attendus.map((a) => a.nom);
    if (JSON.stringify(noms) !== JSON.stringify(voulus)) {
      this.ecarts.push(`${ou} : éléments WSDL ${JSON.stringify(noms)} ≠ schéma ${JSON.stringify(voulus)}`);
    }
    for (const a of attendus) {
      const e = seq.find((x) => x.nom === a.nom);
      if (e) this.element(`${ou}/${e.nom}`, e, a.schema, doc);
    }
  }

  /** LECTURE: the elements of `seq` that are fields of the record, in the record's relative order. */
  echo(ou: string, seq: ElementXsd[], objet: Json, ailleurs: Record<string, string> = {}): void {
    const champs = Object.keys((objet.properties ?? {}) as Json);
    const portes = seq.filter((e) => champs.includes(e.nom));
    const ordre = champs.filter((c) => portes.some((e) => e.nom === c));
    if (JSON.stringify(portes.map((e) => e.nom)) !== JSON.stringify(ordre)) {
      this.ecarts.push(`${ou} : champs repris ${JSON.stringify(portes.map((e) => e.nom))} pas dans l'ordre du schéma ${JSON.stringify(ordre)}`);
    }
    for (const e of portes) this.element(`${ou}/${e.nom}`, e, (objet.properties as Record<string, Json>)[e.nom], this.racine);
    for (const c of champs.filter((x) => !ordre.includes(x))) {
      if (!ailleurs[c]) this.ecarts.push(`${ou} : le champ ${c} du schéma n'y est pas (ni ailleurs, dit)`);
    }
  }

  element(ou: string, e: ElementXsd, propriete: Json, doc: Json): void {
    const r = resoudre(propriete, doc, schema);
    const s = r.schema;
    const t = e.type;
    if (t && t.uri === this.xsd.tns && this.xsd.types.has(t.local)) {
      this.typesVus.add(t.local);
      const seq = this.xsd.types.get(t.local)!;
      if (s.type === 'array') {
        // TABLEAU: modEnv, then item* of the item type ↔ an array of that item.
        const [modEnv, item] = seq;
        if (
          seq.length === 2
          && modEnv.nom === 'modEnv'
          && modEnv.type?.local === 'string'
          && item.nom === 'item'
          && item.maxOccurs === 'unbounded'
          && this.regle('TABLEAU', ou)
        ) {
          this.element(`${ou}/item`, item, s.items as Json, r.racine);
        } else this.ecarts.push(`${ou} : ${t.local} n'a pas la forme d'un tableau Apogée (modEnv, item*) alors que le schéma attend une liste`);
        return;
      }
      if (s.type !== 'object') {
        this.ecarts.push(`${ou} : type complexe ${t.local} ↔ schéma ${String(s.type)}`);
        return;
      }
      // The schema definitions bear the Apogée DTO names as titles (MAJOpiIndDTO6…): they must agree.
      if (s.title !== undefined && s.title !== t.local) this.ecarts.push(`${ou} : ${t.local} ↔ définition de titre ${String(s.title)}`);
      this.sequence(ou, seq, this.attendus(s), r.racine);
      return;
    }
    const simple = t && t.uri === this.xsd.tns ? this.xsd.simples.get(t.local) : undefined;
    const restriction = e.restriction ?? simple;
    const base = restriction?.base ?? t;
    if (!base || base.uri !== XSD) {
      this.ecarts.push(`${ou} : type ${JSON.stringify(t)} inconnu`);
      return;
    }
    const genreXsd =
      (
        {
          int: 'integer',
          long: 'integer',
          short: 'integer',
          integer: 'integer',
          decimal: 'number',
          double: 'number',
          float: 'number',
          boolean: 'boolean',
          string: 'string',
        } as Record<string, string>
      )[base.local] ?? `xsd:${base.local}`;
    const genreSchema = s.type === 'string' && s.format === 'date' ? 'date' : String(s.type);
    const accorde =
      genreXsd === genreSchema
      || (genreXsd === 'string' && genreSchema === 'date' && this.regle('DATES', ou))
      || (genreXsd === 'string' && genreSchema === 'integer' && this.regle('LP_TEXTE', ou));
    if (!accorde) this.ecarts.push(`${ou} : xsd:${base.local} ↔ schéma ${genreSchema}`);
    if (restriction?.maxLength !== undefined) {
      this.facettesComparees++;
      if (restriction.maxLength !== s.maxLength)
        this.ecarts.push(`${ou} : maxLength ${restriction.maxLength} dans le WSDL, ${String(s.maxLength)} dans le schéma`);
    }
  }

  verifier(): void {
    expect(this.ecarts, this.ecarts.join('\n')).to.deep.equal([]);
  }
}

/** Types and wrapper elements of a WSDL neither compared nor explained. */
function nonClasses(xsd: ModeleXsd, vus: Iterable<string>, sansSchema: Record<string, string>): string[] {
  const connus = new Set([...vus, ...Object.keys(sansSchema)]);
  return [...xsd.types.keys(), ...xsd.elements.keys()].filter((n) => !connus.has(n));
}

const FAUTE = 'faute SOAP WebBaseException (même forme que les services Apogée), pas un enregistrement';

describe('WSDL ↔ JSON Schema : ce qui reste écrit à la main dit la même chose que les schémas', () => {
  describe('OpiMetier.wsdl ↔ opi.schema.json', () => {
    const xsd = modeleWsdl('OpiMetier');
    const opi = schema('opi');

    it('DonneesOpiDTO10 et chacun de ses DTO : noms, ordre, types, longueurs ; règles DATES et TABLEAU', () => {
      const c = new Comparaison(xsd, opi, new Set<Regle>(['DATES', 'TABLEAU']));
      const entree = xsd.elements.get('mettreajourDonneesOpi_v10')!;
      expect(entree.map((e) => e.nom)).to.deep.equal(['_donneesOpi']);
      expect(entree[0].type).to.deep.equal({ uri: xsd.tns, local: 'DonneesOpiDTO10' });
      c.typesVus.add('DonneesOpiDTO10');
      c.sequence('DonneesOpiDTO10', xsd.types.get('DonneesOpiDTO10')!, c.attendus(opi));
      c.verifier();
      // The rules served, and only where expected.
      expect(c.reglesAppliquees.get('DATES')).to.have.members([
        'DonneesOpiDTO10/individu/donneesNaissance/dateNaiIndOpi',
        'DonneesOpiDTO10/voeux/item/convocation/datCvc',
      ]);
      expect(c.reglesAppliquees.get('TABLEAU')).to.deep.equal(['DonneesOpiDTO10/voeux']);
      // Every $defs of the schema is reached from the wire root (no record type left aside)…
      const titres = Object.values(opi.$defs as Record<string, Json>).map((d) => d.title);
      expect([...c.typesVus]).to.include.members(titres as string[]);
      // …and every WSDL type is compared or explained.
      expect(
        nonClasses(xsd, [...c.typesVus, 'mettreajourDonneesOpi_v10'], {
          mettreajourDonneesOpi_v10Response: 'réponse vide (Apogée)',
          WebBaseException: FAUTE,
          TableauString: FAUTE,
        }),
      ).to.deep.equal([]);
    });
  });

  describe('LaissezPasserMetier.wsdl ↔ laissez-passer.schema.json', () => {
    const xsd = modeleWsdl('LaissezPasserMetier');
    const lp = schema('laissez-passer');
    const proprietes = lp.properties as Record<string, Json>;
    const places = placesV2(lp);
    const attendus = (p: PlaceV2[], prefixe = ''): Attendu[] => p.map((x) => ({ nom: `${prefixe}${x.nom}`, champ: x.champ, schema: proprietes[x.champ] }));
    const regles = new Set<Regle>(['DATES', 'LP_TEXTE']);

    it('tous les champs du schéma ont une place x-v2, numOPI est le nom V2 de codOpiIntEpo', () => {
      expect(places.map((p) => p.champ)).to.have.members(Object.keys(proprietes));
      expect(places.filter((p) => p.nom !== p.champ).map((p) => [p.champ, p.nom])).to.deep.equal([['codOpiIntEpo', 'numOPI']]);
    });

    it("mettreAJourLaissezPasserWS (V1) : les champs apogee-v1, préfixés par _, dans l'ordre x-v2, tous xsd:string", () => {
      const c = new Comparaison(xsd, lp, regles);
      c.sequence(
        'mettreAJourLaissezPasserWS',
        xsd.elements.get('mettreAJourLaissezPasserWS')!,
        attendus(
          places.filter((p) => p.origine === 'apogee-v1'),
          '_',
        ),
      );
      c.verifier();
      expect(c.reglesAppliquees.get('LP_TEXTE')).to.have.members(['mettreAJourLaissezPasserWS/_codVrsVet', 'mettreAJourLaissezPasserWS/_codVrsVdi']);
    });

    it('mettreAJourLaissezPasserWS_V2 : les champs apogee-v1 puis apogee-v2, noms V2, ordre x-v2, tous xsd:string', () => {
      const c = new Comparaison(xsd, lp, regles);
      const apogee = places.filter((p) => p.origine !== 'passerelle');
      expect(apogee.map((p) => p.rang)).to.deep.equal(apogee.map((_p, i) => i + 1)); // Apogée's fields come first
      c.sequence('mettreAJourLaissezPasserWS_V2', xsd.elements.get('mettreAJourLaissezPasserWS_V2')!, attendus(apogee));
      c.verifier();
    });

    it("LaissezPasserV2DTO (notre opération en masse) : tous les champs, ordre x-v2 (les 14 d'Apogée puis nos extensions)", () => {
      const c = new Comparaison(xsd, lp, regles);
      c.sequence('LaissezPasserV2DTO', xsd.types.get('LaissezPasserV2DTO')!, attendus(places));
      c.verifier();
      expect(c.reglesAppliquees.get('DATES')).to.have.members(['LaissezPasserV2DTO/dateDebutValidite', 'LaissezPasserV2DTO/dateFinValidite']);
      const masse = xsd.elements.get('mettreAJourLaissezPasserEnMasse')!;
      expect(masse.map((e) => [e.nom, e.type?.local, e.maxOccurs])).to.deep.equal([
        ['mode', 'string', '1'],
        ['laissezPasser', 'LaissezPasserV2DTO', 'unbounded'],
      ]);
    });

    it('chaque type du WSDL est comparé ou expliqué', () => {
      expect(
        nonClasses(xsd, ['mettreAJourLaissezPasserWS', 'mettreAJourLaissezPasserWS_V2', 'LaissezPasserV2DTO', 'mettreAJourLaissezPasserEnMasse'], {
          mettreAJourLaissezPasserWSResponse: 'réponse vide (Apogée)',
          mettreAJourLaissezPasserWSResponse_V2: 'réponse vide (Apogée)',
          mettreAJourLaissezPasserEnMasseResponse: "bilan de l'opération en masse (compteurs), pas un enregistrement",
          ResultatLaissezPasserDTO: 'résultat par élément (rang, statut, id), pas un enregistrement',
          ErreurChampDTO: 'erreur {code, chemin, message} du catalogue, pas un enregistrement',
          WebBaseException: FAUTE,
          TableauString: FAUTE,
        }),
      ).to.deep.equal([]);
    });
  });

  describe('InscriptionMetier.wsdl ↔ inscription.schema.json, paiement.schema.json', () => {
    const xsd = modeleWsdl('InscriptionMetier');
    const ia = schema('inscription');
    const paiement = schema('paiement');

    it("creerInscription : les champs de DemandeInscription, dans l'ordre du schéma, mêmes types", () => {
      const c = new Comparaison(xsd, ia);
      c.sequence('creerInscription', xsd.elements.get('creerInscription')!, c.attendus(ia));
      c.verifier();
    });

    it('InscriptionDTO et rechercherInscriptions reprennent les champs de la demande dans son ordre, mêmes types ; numeroCvec est cvec/numero', () => {
      const c = new Comparaison(xsd, ia);
      const dto = xsd.types.get('InscriptionDTO')!;
      c.echo('InscriptionDTO', dto, ia, { numeroCvec: 'cvec/numero' });
      const cvec = xsd.types.get(dto.find((e) => e.nom === 'cvec')!.type!.local)!;
      c.element('InscriptionDTO/cvec/numero', cvec.find((e) => e.nom === 'numero')!, (ia.properties as Record<string, Json>).numeroCvec, ia);
      // Search criteria: those that are fields of the demand keep its order and types (codVrsVet… are not criteria).
      const criteres = xsd.elements.get('rechercherInscriptions')!;
      const tous = Object.fromEntries(Object.keys(ia.properties as Json).map((k) => [k, 'pas un critère de recherche']));
      c.echo('rechercherInscriptions', criteres, ia, tous);
      c.verifier();
    });

    it('PaiementDTO reprend Paiement (montant, reference, mode) dans son ordre, mêmes types', () => {
      const c = new Comparaison(xsd, paiement);
      c.echo('PaiementDTO', xsd.types.get('PaiementDTO')!, paiement);
      c.verifier();
    });

    it('chaque type du WSDL est comparé ou expliqué', () => {
      expect(
        nonClasses(xsd, ['creerInscription', 'InscriptionDTO', 'rechercherInscriptions', 'PaiementDTO', 'CvecDTO'], {
          creerInscriptionResponse: 'enveloppe de réponse (resultat + InscriptionDTO)',
          lireInscription: 'un identifiant',
          lireInscriptionResponse: 'enveloppe de réponse',
          rechercherInscriptionsResponse: 'enveloppe de réponse',
          ValeurResolueDTO: 'valeur résolue avec sa provenance (lecture seule)',
          DroitsDTO: 'droits calculés (lecture seule)',
          WebBaseException: FAUTE,
          TableauString: FAUTE,
        }),
      ).to.deep.equal([]);
    });
  });

  it("le comparateur voit un écart de nom, d'ordre, de type et de longueur (sur un WSDL d'essai)", () => {
    const essai = `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xsd="${XSD}" xmlns:tns="urn:essai" targetNamespace="urn:essai">
  <wsdl:types><xsd:schema targetNamespace="urn:essai">
    <xsd:simpleType name="Code4"><xsd:restriction base="xsd:string"><xsd:maxLength value="4"/></xsd:restriction></xsd:simpleType>
    <xsd:complexType name="DemandeDTO"><xsd:sequence>
      <xsd:element name="codEtp" type="xsd:string"/>
      <xsd:element name="codAnu" type="tns:Code4"/>
      <xsd:element name="codVrsVet" type="xsd:string"/>
      <xsd:element name="numeroCvec"><xsd:simpleType><xsd:restriction base="xsd:string"><xsd:maxLength value="20"/></xsd:restriction></xsd:simpleType></xsd:element>
      <xsd:element name="boursier" type="xsd:boolean"/>
    </xsd:sequence></xsd:complexType>
  </xsd:schema></wsdl:types>
</wsdl:definitions>`;
    const ia = schema('inscription');
    const props = ia.properties as Record<string, Json>;
    const c = new Comparaison(modele(essai), ia);
    c.sequence(
      'DemandeDTO',
      modele(essai).types.get('DemandeDTO')!,
      ['codAnu', 'codEtp', 'codVrsVet', 'numeroCvec', 'boursier'].map((k) => ({ nom: k, champ: k, schema: props[k] })),
    );
    expect(c.facettesComparees).to.equal(2);
    expect(c.ecarts).to.deep.equal([
      'DemandeDTO : éléments WSDL ["codEtp","codAnu","codVrsVet","numeroCvec","boursier"] ≠ schéma ["codAnu","codEtp","codVrsVet","numeroCvec","boursier"]',
      'DemandeDTO/codVrsVet : xsd:string ↔ schéma integer',
      'DemandeDTO/numeroCvec : maxLength 20 dans le WSDL, 30 dans le schéma',
    ]);
  });
});

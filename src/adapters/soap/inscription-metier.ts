/**
 * The InscriptionMetier SOAP door: our own contract (Apogée has no WS that creates an IA), same use
 * case as REST. The SOAP arguments become the REST JSON body / query (same field names), the
 * `InscriptionLue` goes back as an `InscriptionDTO` built with its keys in WSDL sequence order
 * (node-soap serialises children in object key order, not schema order).
 */
import { CHAMPS_IA } from '../../application/champs';
import type { ContexteAppel, Pipeline } from '../../application/pipeline';
import type { ValeurResolue } from '../../domain/acces';
import type { InscriptionLue, ResultatCreationInscription } from '../../domain/inscription/types';
import type { DefinitionServiceSoap } from './serveur-soap';

export const NS_INSCRIPTION = 'urn:candidature-gateway:ws:InscriptionMetier';

const CHAMPS_CREATION: readonly string[] = CHAMPS_IA;
const CRITERES_RECHERCHE = ['codAnu', 'codOpiIntEpo', 'codEtu', 'ine', 'codEtp', 'etat'];

export function serviceInscriptionMetier(pipeline: Pipeline): DefinitionServiceSoap {
  return {
    nom: 'InscriptionMetier',
    namespace: NS_INSCRIPTION,
    service: 'InscriptionMetierServiceInterfaceService',
    port: 'InscriptionMetier',
    registre: { creerInscription: 'ia.creer', lireInscription: 'ia.lire', rechercherInscriptions: 'ia.rechercher' },
    operations: {
      creerInscription: async (args, ctx: ContexteAppel) => {
        const r = (await pipeline.executer<ResultatCreationInscription>(ctx, 'ia.creer', corpsCreation(args))).valeur!;
        return { resultat: r.resultat, inscription: versDto(r.inscription) };
      },
      lireInscription: async (args, ctx: ContexteAppel) => {
        const i = (await pipeline.executer<InscriptionLue>(ctx, 'ia.lire', (args.id ?? '') as string, { charge: { id: args.id ?? null } })).valeur!;
        return { inscription: versDto(i) };
      },
      rechercherInscriptions: async (args, ctx: ContexteAppel) => {
        const q: Record<string, string | undefined> = {};
        for (const c of CRITERES_RECHERCHE) {
          const v = args[c];
          if (typeof v === 'string') q[c] = v;
          else if (typeof v === 'number' || typeof v === 'boolean') q[c] = String(v);
        }
        const r = (await pipeline.executer<{ inscriptions: InscriptionLue[] }>(ctx, 'ia.rechercher', q)).valeur!;
        return { inscription: r.inscriptions.map(versDto) };
      },
    },
  };
}

/**
 * The REST JSON body of a creation. Absent and xsi:nil (null) are left out; `codVrsVet` passes as is
 * (a digit string: the use case canonicalises it); `boursier` becomes a boolean when it is one,
 * anything else is passed unchanged for the use-case schema to reject. Unknown elements are passed too,
 * so that the schema reports them instead of them being silently dropped.
 */
function corpsCreation(args: Record<string, unknown>): Record<string, unknown> {
  const corps: Record<string, unknown> = {};
  const cles = [...CHAMPS_CREATION, ...Object.keys(args).filter((k) => !CHAMPS_CREATION.includes(k) && k !== 'attributes')];
  for (const c of cles) {
    const v = args[c];
    if (v === undefined || v === null) continue;
    corps[c] = c === 'boursier' ? booleen(v) : v;
  }
  return corps;
}

function booleen(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return v;
}

/** An object without its null / undefined values, keys kept in insertion (= WSDL sequence) order. */
function sansNuls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/** xsd:dateTime: an ISO 8601 instant (a bare date becomes midnight UTC); left as is if unparsable. */
function dateTime(s: string | null | undefined): string | undefined {
  if (s === null || s === undefined) return undefined;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}

/** xsd:decimal in euros: 2 decimals, never the exponent notation. */
function montant(n: number | null | undefined): string | undefined {
  return n === null || n === undefined || !Number.isFinite(n) ? undefined : n.toFixed(2);
}

function valeurDto(v: ValeurResolue | null | undefined): Record<string, unknown> {
  return sansNuls({ valeur: v?.valeur, source: v?.source, complement: v?.complement });
}

/** InscriptionLue → InscriptionDTO, keys in WSDL sequence order, null values omitted. */
export function versDto(i: InscriptionLue): Record<string, unknown> {
  return sansNuls({
    id: i.id,
    codAnu: i.codAnu,
    codOpiIntEpo: i.codOpiIntEpo,
    codEtu: i.codEtu,
    ine: i.ine,
    codEtp: i.codEtp,
    codVrsVet: i.codVrsVet,
    codDip: i.codDip,
    codVrsVdi: i.codVrsVdi,
    codCge: i.codCge,
    ouvertPar: i.ouvertPar?.length ? [...i.ouvertPar] : undefined,
    etat: i.etat,
    regime: valeurDto(i.valeurs?.codRgi),
    statut: valeurDto(i.valeurs?.codStu),
    categorieOuiSi: valeurDto(i.valeurs?.codCatOuiSi),
    situationDroits: valeurDto(i.valeurs?.codCatExoExt),
    boursier: i.boursier,
    numBoursier: i.numBoursier,
    profilExonerant: i.profilExonerant,
    codPayNat: i.codPayNat,
    droits: sansNuls({
      niveau: i.droits.niveau,
      montantBase: montant(i.droits.montantBase),
      montantDu: montant(i.droits.montantDu),
      tarif: i.droits.tarif,
      exonerationType: i.droits.exoneration?.type,
      exonerationMotif: i.droits.exoneration?.motif,
      exonerationSource: i.droits.exoneration?.source,
    }),
    cvec: sansNuls({
      requise: i.cvec.requise,
      numero: i.cvec.numero,
      montant: montant(i.cvec.montant),
      paiementExonere: i.cvec.paiementExonere,
      motif: i.cvec.motif,
    }),
    paiement: i.paiement
      ? sansNuls({ montant: montant(i.paiement.montant), reference: i.paiement.reference, mode: i.paiement.mode, le: dateTime(i.paiement.le) })
      : undefined,
    explication: i.explication?.length ? [...i.explication] : undefined,
    version: i.version,
    creeLe: dateTime(i.creeLe),
    modifieLe: dateTime(i.modifieLe),
    cursus: i.cursus,
  });
}

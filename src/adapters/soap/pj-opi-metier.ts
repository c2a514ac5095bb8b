/**
 * The PjOpiMetier SOAP door (Apogée 6.70 contract, eCandidat's deposit of a supporting document):
 * `recupererPiecesJustificativesOPIWS` carries the OPI number, the birth name and first name, the type
 * of document, the file name and the bytes (`_pj`, xsd:base64Binary). The base64 text is decoded, in
 * slices, into a temporary file (removed whatever happens), then the same use case as
 * `PUT /api/v1/opi/{codOpiIntEpo}/pj/{codTpj}` runs (`pj.deposer`), with the names checked against the
 * OPI as Apogée does. Success: a `PjOpiRetourDTO` whose `msg` says what happened, `erreurDescription`
 * nil; any refusal is the WebBaseException fault (eCandidat catches only that, never reads the DTO).
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pipeline } from '../../application/pipeline';
import type { EntreeDepot, ResultatDepot } from '../../application/pieces';
import { normaliserCodOpi } from '../../domain/identifiers/individu';
import { ErreurMetier } from '../../domain/errors';
import type { DefinitionServiceSoap } from './serveur-soap';

export const NS_PJ_OPI = 'gouv.education.apogee.commun.servicesmetiers.PjOpiMetier';

export interface OptionsPjOpiMetier {
  /** Where the decoded bytes wait while they are checked (default: the system's temporary folder). */
  dossierReception?: string;
}

/** Base64 characters decoded per slice: bounds the memory the decoding adds to the message's own. */
const TRANCHE = 1024 * 1024;
const BLANCS = /[ \t\r\n]+/g;
const ALPHABET = /^[A-Za-z0-9+/=]*$/;
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
/**
 * `xsi:nil` with its namespace declared on the element: node-soap writes a null as `xsi:nil="true"`
 * without declaring the `xsi` prefix anywhere in the envelope (ill-formed XML for lxml, JAXB, Axis).
 */
const NIL = { attributes: { 'xmlns:xsi': XSI, 'xsi:nil': 'true' } };

/**
 * An element's text as node-soap gives it: a string, `{ $value }` when the element carries attributes
 * (an `xsi:type`…), null for `xsi:nil` and for an empty non-string element, undefined when absent.
 */
function texteDe(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { $value?: unknown }).$value === 'string') return (v as { $value: string }).$value;
  return undefined;
}

export interface Base64Decode {
  /** The text is valid xsd:base64Binary (blanks allowed anywhere, `=` padding only at the end, length a multiple of 4). */
  valide: boolean;
  /** SHA-256 (hex) of the decoded bytes when valid, of the text as received otherwise: what the journal hashes. */
  empreinte: string;
  taille: number;
}

/**
 * Decodes base64 text into `fichier` (created, never overwritten), slice by slice, checking it strictly
 * on the way (Node's own decoder silently skips what is not base64). Stops at the first invalid slice;
 * the caller removes the file either way.
 */
export async function decoderBase64VersFichier(texte: string, fichier: string, tranche = TRANCHE): Promise<Base64Decode> {
  const sortie = await fs.open(fichier, 'wx', 0o600);
  const hashOctets = createHash('sha256');
  let reste = '';
  let total = 0;
  let remplissage = 0;
  let taille = 0;
  let valide = true;
  try {
    for (let i = 0; i < texte.length && valide; i += tranche) {
      const brut = texte.slice(i, i + tranche);
      const c = brut.replace(BLANCS, '');
      if (!c) continue;
      const egal = c.indexOf('=');
      // Padding: only `=` after the first one, at most two in all, nothing after.
      if (!ALPHABET.test(c) || (remplissage > 0 && egal !== 0) || (egal >= 0 && !/^=+$/.test(c.slice(egal)))) {
        valide = false;
        break;
      }
      if (egal >= 0) remplissage += c.length - egal;
      if (remplissage > 2) {
        valide = false;
        break;
      }
      total += c.length;
      const a = reste + c;
      const n = a.length - (a.length % 4);
      if (n > 0) {
        const octets = Buffer.from(a.slice(0, n), 'base64');
        hashOctets.update(octets);
        taille += octets.length;
        await sortie.write(octets);
      }
      reste = a.slice(n);
    }
    if (total % 4 !== 0) valide = false;
  } finally {
    await sortie.close();
  }
  if (valide) return { valide, empreinte: hashOctets.digest('hex'), taille };
  const hashTexte = createHash('sha256');
  for (let i = 0; i < texte.length; i += tranche) hashTexte.update(texte.slice(i, i + tranche));
  return { valide, empreinte: hashTexte.digest('hex'), taille: 0 };
}

/** What `msg` says of a deposit (the REST door gives the same result as JSON). */
export function messageDepot(r: ResultatDepot, codOpiIntEpo: string): string {
  const p = r.piece;
  if (r.resultat === 'INCHANGE') return `Pièce ${p.codTpj} déjà reçue pour l'OPI ${codOpiIntEpo}, inchangée`;
  if (r.resultat === 'REMPLACE') return `Pièce ${p.codTpj} remplacée pour l'OPI ${codOpiIntEpo} (version ${p.version})`;
  return `Pièce ${p.codTpj} enregistrée pour l'OPI ${codOpiIntEpo}`;
}

export function servicePjOpiMetier(pipeline: Pipeline, options: OptionsPjOpiMetier = {}): DefinitionServiceSoap {
  const dossier = options.dossierReception ?? tmpdir();
  return {
    nom: 'PjOpiMetier',
    namespace: NS_PJ_OPI,
    service: 'PjOpiMetierServiceInterfaceService',
    port: 'PjOpiMetier',
    registre: { recupererPiecesJustificativesOPIWS: 'pj.deposer' },
    operations: {
      recupererPiecesJustificativesOPIWS: async (args, ctx) => {
        await fs.mkdir(dossier, { recursive: true });
        const fichier = path.join(dossier, `soap-pj-${randomUUID()}`);
        try {
          // Nil, absent and "" are the same (docs/contrats-soap.md §3): no bytes, refused by the use case (PJ_VIDE).
          const decode = await decoderBase64VersFichier(texteDe(args._pj) ?? '', fichier);
          const codOpiIntEpo = texteDe(args._codOpiIntEpo);
          // The SOAP names without their underscore: the paths of the problems are those of the REST door.
          const entree: EntreeDepot = {
            codOpiIntEpo,
            codTpj: texteDe(args._codTpj),
            nomFic: texteDe(args._nomFic),
            fichier,
            identite: { libNomPatIndOpi: texteDe(args._libNomPatIndOpi), libPr1IndOpi: texteDe(args._libPr1IndOpi) },
          };
          const x = await pipeline.executer<ResultatDepot>(ctx, 'pj.deposer', entree, {
            charge: decode.empreinte,
            controle: () => {
              if (!decode.valide) throw ErreurMetier.une('TYPE_INVALIDE', 'pj', { attendu: 'contenu du fichier encodé en base64 (xsd:base64Binary)' });
            },
          });
          // Keys in WSDL sequence order (node-soap serialises in object key order).
          return {
            recupererPiecesJustificativesOPIWSReturn: { erreurDescription: NIL, msg: messageDepot(x.valeur!, normaliserCodOpi(codOpiIntEpo ?? '')) },
          };
        } finally {
          await fs.rm(fichier, { force: true });
        }
      },
    },
  };
}

/**
 * Supporting documents (pièces justificatives) of an OPI: deposit (SOAP from eCandidat, REST from staff
 * or a portal), what is owed and received, the bytes, the staff decision. A deposit checks everything
 * before anything is stored (the OPI exists, the names match, the type is known, the bytes are of an
 * allowed kind and readable), then the bytes go to the content-addressed store and the metadata and
 * history are written in the pipeline's transaction.
 */
import { promises as fs } from 'node:fs';
import type { Readable } from 'node:stream';
import { ErreurMetier, probleme, type Probleme } from '../domain/errors';
import { cleComparaison } from '../domain/text';
import { cleIndividu, normaliserCodOpi } from '../domain/identifiers/individu';
import { verifierCode } from '../domain/opi/regles';
import { piecesDues, type PieceDue, type TypePj } from '../domain/pj/pieces-dues';
import { nettoyerNomFichier, problemesFichier } from '../domain/pj/fichier';
import { verifierDecision, type StatutPj } from '../domain/pj/statuts';
import type { DecisionPj } from '../generated/decision-pj';
import type { Catalogue } from '../domain/nomenclatures';
import type { ServiceNomenclatures } from './nomenclatures';
import type { ServiceAcces } from './acces';
import type { AnalyseurFichiers, Depots, StockageDocuments, UniteDeTravailPort } from './ports';
import type { IndividuOpiLigne, PieceLigne } from './enregistrements';
import type { ContexteAppel, DefinitionOperation } from './pipeline';
import { validerSchema } from './validation';
import { nettoyer } from '../domain/opi/canonique';
import { aujourdhuiParis, anneeCampagne } from './horloge';

/** A deposit as a door hands it in: the file is already on disk (the door's temporary copy). */
export interface EntreeDepot {
  codOpiIntEpo: unknown;
  codTpj: unknown;
  nomFic?: unknown;
  fichier: string;
  /** SOAP (Apogée's contract): the birth name and first name, checked against the OPI. */
  identite?: { libNomPatIndOpi: unknown; libPr1IndOpi: unknown };
}

interface DepotPrepare {
  codOpiIntEpo: string;
  codTpj: string;
  nomFichier: string;
  typeMedia: string;
  taille: number;
  empreinte: string;
}

export interface PieceLue {
  codTpj: string;
  libelle: string;
  /** Owed by this individual (else received without being asked for). */
  attendue: boolean;
  raisons: string[];
  statut: StatutPj;
  nomFichier: string | null;
  typeMedia: string | null;
  taille: number | null;
  motifRefus: string | null;
  libelleMotifRefus: string | null;
  commentaire: string | null;
  version: number | null;
  deposeLe: string | null;
  statutLe: string | null;
}

export interface PiecesDeOpi {
  codOpiIntEpo: string;
  codAnu: string;
  adresse: string | null;
  pieces: PieceLue[];
}

export interface ResultatDepot {
  resultat: 'CREE' | 'REMPLACE' | 'INCHANGE';
  piece: PieceLue;
}

export interface EntreeDecision {
  codOpiIntEpo: string;
  codTpj: string;
  corps: unknown;
}

const texte = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

export class ServicePieces {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly nomenclatures: ServiceNomenclatures,
    private readonly acces: ServiceAcces,
    private readonly analyseur: AnalyseurFichiers,
    readonly stockage: StockageDocuments,
  ) {}

  /** Checks a deposit, then stores its bytes (outside any transaction: an unreferenced file is removed by the cleanup). */
  async preparer(e: EntreeDepot): Promise<DepotPrepare> {
    const problemes: Probleme[] = [];
    const code = normaliserCodOpi(texte(e.codOpiIntEpo));
    const codTpj = texte(e.codTpj).toUpperCase();
    if (!code) problemes.push(probleme('CHAMP_OBLIGATOIRE', 'codOpiIntEpo'));
    if (!codTpj) problemes.push(probleme('CHAMP_OBLIGATOIRE', 'codTpj'));
    const opi = code ? await this.unite.lecture.opi.lire(code) : null;
    if (code && !opi) throw ErreurMetier.une('OPI_INTROUVABLE', 'codOpiIntEpo', { codOpiIntEpo: code });
    if (opi && e.identite) problemes.push(...identiteIncoherente(opi, e.identite));
    const cat = await this.nomenclatures.catalogue();
    const type = codTpj ? (cat.trouver('types-pj', codTpj) as TypePj | undefined) : undefined;
    if (codTpj) verifierCode(cat, 'types-pj', codTpj, 'codTpj', problemes);
    const taille = (await fs.stat(e.fichier)).size;
    let typeReel: string | undefined;
    if (type?.enService) {
      typeReel = taille ? await this.analyseur.typeReel(e.fichier) : undefined;
      const pdf = typeReel === 'application/pdf' ? await this.analyseur.verifierPdf(e.fichier) : undefined;
      problemes.push(...problemesFichier(type, { taille, typeReel, pdf }));
    }
    if (problemes.length) throw new ErreurMetier(problemes);
    const stocke = await this.stockage.deposer(e.fichier);
    return {
      codOpiIntEpo: code,
      codTpj,
      nomFichier: nettoyerNomFichier(texte(e.nomFic)),
      typeMedia: typeReel!,
      taille: stocke.taille,
      empreinte: stocke.empreinte,
    };
  }

  /** The same bytes again change nothing; other bytes replace the file (history kept) and put it back to DEPOSEE. */
  async ecrire(p: DepotPrepare, d: Depots, ctx: ContexteAppel): Promise<ResultatDepot> {
    const existante = await d.pieces.trouver(p.codOpiIntEpo, p.codTpj, true);
    const maintenant = new Date();
    let resultat: ResultatDepot['resultat'];
    let piece: PieceLigne;
    if (existante && existante.empreinte === p.empreinte) {
      resultat = 'INCHANGE';
      piece = existante;
    } else {
      const ligne = {
        codOpiIntEpo: p.codOpiIntEpo,
        codTpj: p.codTpj,
        statut: 'DEPOSEE',
        nomFichier: p.nomFichier,
        typeMedia: p.typeMedia,
        taille: p.taille,
        empreinte: p.empreinte,
        motifRefus: null,
        commentaire: null,
        source: ctx.client,
        deposeLe: maintenant,
        statutLe: maintenant,
      };
      if (existante) {
        piece = { ...existante, ...ligne, version: existante.version + 1 };
        await d.pieces.mettreAJour(existante.id, { ...ligne, version: piece.version });
        resultat = 'REMPLACE';
      } else {
        piece = { ...ligne, version: 1, id: await d.pieces.inserer({ ...ligne, version: 1 }) };
        resultat = 'CREE';
      }
      await d.pieces.ajouterHistorique({
        pieceId: piece.id,
        codOpiIntEpo: p.codOpiIntEpo,
        codTpj: p.codTpj,
        de: existante?.statut ?? null,
        vers: 'DEPOSEE',
        empreinte: p.empreinte,
        nomFichier: p.nomFichier,
        motif: null,
        client: ctx.client,
        requestId: ctx.requestId,
        le: maintenant,
      });
    }
    const cat = await this.nomenclatures.catalogue();
    return { resultat, piece: versLecture(cat, piece, undefined) };
  }

  /** A staff decision: VALIDEE, or REFUSEE with a reason of the nomenclature `motifs-refus-pj`. */
  async preparerDecision(e: EntreeDecision): Promise<{ codOpiIntEpo: string; codTpj: string; decision: DecisionPj }> {
    const decision = validerSchema<DecisionPj>('decision-pj', nettoyer(e.corps) ?? {});
    const problemes: Probleme[] = [];
    if (decision.statut === 'REFUSEE' && !decision.motif) problemes.push(probleme('MOTIF_REFUS_REQUIS', 'motif'));
    if (decision.motif) verifierCode(await this.nomenclatures.catalogue(), 'motifs-refus-pj', decision.motif.toUpperCase(), 'motif', problemes);
    if (problemes.length) throw new ErreurMetier(problemes);
    return {
      codOpiIntEpo: normaliserCodOpi(e.codOpiIntEpo),
      codTpj: e.codTpj.trim().toUpperCase(),
      decision: { ...decision, motif: decision.motif?.toUpperCase() },
    };
  }

  async decider(
    p: { codOpiIntEpo: string; codTpj: string; decision: DecisionPj },
    d: Depots,
    ctx: ContexteAppel,
  ): Promise<{ resultat: StatutPj | 'INCHANGE'; piece: PieceLue }> {
    const piece = await d.pieces.trouver(p.codOpiIntEpo, p.codTpj, true);
    if (!piece) throw ErreurMetier.une('PJ_INTROUVABLE', 'codTpj', { codTpj: p.codTpj, individu: `l'OPI ${p.codOpiIntEpo}` });
    verifierDecision(piece.statut as StatutPj, p.decision.statut);
    const cat = await this.nomenclatures.catalogue();
    const motif = p.decision.statut === 'REFUSEE' ? (p.decision.motif ?? null) : null;
    const commentaire = p.decision.commentaire ?? null;
    if (piece.statut === p.decision.statut && piece.motifRefus === motif && piece.commentaire === commentaire) {
      return { resultat: 'INCHANGE', piece: versLecture(cat, piece, undefined) };
    }
    const maj = { statut: p.decision.statut, motifRefus: motif, commentaire, statutLe: new Date() };
    await d.pieces.mettreAJour(piece.id, maj);
    await d.pieces.ajouterHistorique({
      pieceId: piece.id,
      codOpiIntEpo: piece.codOpiIntEpo,
      codTpj: piece.codTpj,
      de: piece.statut,
      vers: p.decision.statut,
      empreinte: piece.empreinte,
      nomFichier: piece.nomFichier,
      motif: [motif, commentaire].filter(Boolean).join(' — ').slice(0, 500) || null,
      client: ctx.client,
      requestId: ctx.requestId,
      le: maj.statutLe,
    });
    return { resultat: p.decision.statut, piece: versLecture(cat, { ...piece, ...maj }, undefined) };
  }

  /** Every document owed by the individual of an OPI, and every one received, with its status. */
  async deOpi(codOpiIntEpo: string): Promise<PiecesDeOpi> {
    const code = normaliserCodOpi(codOpiIntEpo);
    const opi = await this.unite.lecture.opi.lire(code);
    if (!opi) throw ErreurMetier.une('OPI_INTROUVABLE', 'codOpiIntEpo', { codOpiIntEpo: code });
    return this.piecesDe(opi, await this.unite.lecture.pieces.deOpi(code));
  }

  /** Owed and received documents of an OPI already read (its received ones given: lists read them in bulk). */
  async piecesDe(opi: IndividuOpiLigne, recues: PieceLigne[]): Promise<PiecesDeOpi> {
    const cat = await this.nomenclatures.catalogue();
    const codAnu = opi.codAnu ?? anneeCampagne(aujourdhuiParis());
    const dues = piecesDues(await this.profil(opi, codAnu), cat);
    const parType = new Map(recues.map((r) => [r.codTpj, r]));
    const pieces = [
      ...dues.map((du) => versLecture(cat, parType.get(du.codTpj), du)),
      ...recues.filter((r) => !dues.some((du) => du.codTpj === r.codTpj)).map((r) => versLecture(cat, r, undefined)),
    ];
    const donnees = JSON.parse(opi.donnees) as { individu?: { donneesPersonnelles?: { adrMailOpi?: string } } };
    return { codOpiIntEpo: opi.codOpiIntEpo, codAnu, adresse: donnees.individu?.donneesPersonnelles?.adrMailOpi ?? null, pieces };
  }

  /** The bytes of a received document, with what the door needs to serve them. */
  async contenu(codOpiIntEpo: string, codTpj: string): Promise<{ piece: PieceLigne; flux: Readable }> {
    const code = normaliserCodOpi(codOpiIntEpo);
    const piece = await this.unite.lecture.pieces.trouver(code, codTpj.trim().toUpperCase());
    if (!piece) throw ErreurMetier.une('PJ_INTROUVABLE', 'codTpj', { codTpj: codTpj.toUpperCase(), individu: `l'OPI ${code}` });
    return { piece, flux: await this.stockage.lire(piece.empreinte) };
  }

  /** Removes the stored files no document refers to any more (files of a refused deposit, of a crash). */
  async nettoyerStockage(): Promise<{ supprimes: number }> {
    const gardes = await this.unite.lecture.pieces.empreintesReferencees();
    let supprimes = 0;
    for await (const empreinte of this.stockage.lister()) {
      // Read again just before deleting: a deposit may have referenced it since the list was taken.
      if (gardes.has(empreinte) || (await this.unite.lecture.pieces.empreintesReferencees()).has(empreinte)) continue;
      await this.stockage.supprimer(empreinte);
      supprimes++;
    }
    return { supprimes };
  }

  /** What the access rules say of the individual (formations, régimes, statuts), its nationality, its IA profils. */
  private async profil(opi: IndividuOpiLigne, codAnu: string) {
    const acces = await this.acces.consulter({ codAnu, codOpiIntEpo: opi.codOpiIntEpo }).catch((err) => {
      if (err instanceof ErreurMetier && err.problemes[0]?.code === 'INDIVIDU_INTROUVABLE') return undefined;
      throw err;
    });
    const ias = await this.unite.lecture.inscriptions.rechercher({ codOpiIntEpo: opi.codOpiIntEpo, codAnu }, undefined, 50);
    const actives = ias.filter((i) => i.etat !== 'ANNULEE');
    return {
      codPayNat: opi.codPayNat,
      formations: (acces?.formations ?? []).map((f) => ({
        codEtp: f.codEtp,
        codVrsVet: f.codVrsVet,
        codRgi: f.valeurs.codRgi.valeur,
        codStu: f.valeurs.codStu.valeur,
      })),
      profils: [...new Set(actives.flatMap((i) => [...(i.profilExonerant ? [i.profilExonerant] : []), ...(i.boursier ? ['BOURSIER'] : [])]))],
    };
  }

  /** The pipeline's view of the document operations. */
  operations() {
    const cleDepot = (e: EntreeDepot) => {
      const c = texte(e.codOpiIntEpo);
      return c ? `${normaliserCodOpi(c)}|${texte(e.codTpj).toUpperCase()}` : undefined;
    };
    const deposer: DefinitionOperation<EntreeDepot, DepotPrepare, ResultatDepot> = {
      cle: cleDepot,
      individu: (e) => cleIndividu({ codOpiIntEpo: e.codOpiIntEpo }),
      preparer: (e) => this.preparer(e),
      ecrire: (p, d, ctx) => this.ecrire(p, d, ctx),
      issue: (r) => ({ resultat: r.resultat }),
      statut: (r) => (r.resultat === 'CREE' ? 201 : 200),
    };
    const statuer: DefinitionOperation<
      EntreeDecision,
      Awaited<ReturnType<ServicePieces['preparerDecision']>>,
      Awaited<ReturnType<ServicePieces['decider']>>
    > = {
      cle: (e) => `${normaliserCodOpi(e.codOpiIntEpo)}|${e.codTpj.toUpperCase()}`,
      individu: (e) => cleIndividu({ codOpiIntEpo: e.codOpiIntEpo }),
      preparer: (e) => this.preparerDecision(e),
      ecrire: (p, d, ctx) => this.decider(p, d, ctx),
      issue: (r) => ({ resultat: r.resultat }),
    };
    const lister: DefinitionOperation<string, never, PiecesDeOpi> = {
      cle: (code) => normaliserCodOpi(code),
      individu: (code) => cleIndividu({ codOpiIntEpo: code }),
      lire: (code) => this.deOpi(code),
      issue: () => ({ resultat: 'LU' }),
    };
    const contenu: DefinitionOperation<{ codOpiIntEpo: string; codTpj: string }, never, Awaited<ReturnType<ServicePieces['contenu']>>> = {
      cle: (e) => `${normaliserCodOpi(e.codOpiIntEpo)}|${e.codTpj.toUpperCase()}`,
      individu: (e) => cleIndividu({ codOpiIntEpo: e.codOpiIntEpo }),
      lire: (e) => this.contenu(e.codOpiIntEpo, e.codTpj),
      issue: () => ({ resultat: 'LU' }),
    };
    return { deposer, statuer, lister, contenu };
  }
}

/** The SOAP contract checks the names against the OPI (compared upper-case without accents). */
function identiteIncoherente(opi: IndividuOpiLigne, identite: NonNullable<EntreeDepot['identite']>): Probleme[] {
  const out: Probleme[] = [];
  const champs = [
    ['libNomPatIndOpi', 'nom de naissance', opi.libNomPatIndOpi, identite.libNomPatIndOpi],
    ['libPr1IndOpi', 'prénom', opi.libPr1IndOpi, identite.libPr1IndOpi],
  ] as const;
  for (const [chemin, champ, attendu, brut] of champs) {
    const envoye = texte(brut);
    if (!envoye) out.push(probleme('CHAMP_OBLIGATOIRE', chemin));
    else if (cleComparaison(envoye) !== cleComparaison(attendu))
      out.push(probleme('PJ_IDENTITE_INCOHERENTE', chemin, { champ, envoye, codOpiIntEpo: opi.codOpiIntEpo }));
  }
  return out;
}

function versLecture(cat: Catalogue, p: PieceLigne | undefined, du: PieceDue | undefined): PieceLue {
  const codTpj = p?.codTpj ?? du!.codTpj;
  const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : null);
  return {
    codTpj,
    libelle: du?.libelle ?? cat.trouver('types-pj', codTpj)?.libelle ?? codTpj,
    attendue: du !== undefined,
    raisons: du?.raisons ?? [],
    statut: (p?.statut as StatutPj | undefined) ?? 'ATTENDUE',
    nomFichier: p?.nomFichier ?? null,
    typeMedia: p?.typeMedia ?? null,
    taille: p?.taille ?? null,
    motifRefus: p?.motifRefus ?? null,
    libelleMotifRefus: p?.motifRefus ? (cat.trouver('motifs-refus-pj', p.motifRefus)?.libelle ?? null) : null,
    commentaire: p?.commentaire ?? null,
    version: p?.version ?? null,
    deposeLe: iso(p?.deposeLe),
    statutLe: iso(p?.statutLe),
  };
}

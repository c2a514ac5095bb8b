/**
 * Reads of the supporting documents across individuals: the Amue-compatible PJ service (`info`,
 * `fichier`: by year and student number, as eCandidat asks "did this student already give this
 * document?") and the staff list of who still owes what.
 */
import { ErreurMetier } from '../domain/errors';
import { cleIndividu, normaliserCodEtu, normaliserCodOpi } from '../domain/identifiers/individu';
import { resteAFournir } from '../domain/pj/statuts';
import type { ServicePieces, PieceLue } from './pieces';
import type { UniteDeTravailPort } from './ports';
import type { DefinitionOperation } from './pipeline';
import { lireLimite } from './pagination';

export interface CritereAmue {
  codAnu?: string;
  codEtu?: string;
  codOpiIntEpo?: string;
  codTpj?: string;
}

/** A document in the Amue PJ service's shape (dates `dd-MM-yyyy HH:mm`, `stuPj` first letter V = validated). */
export interface InfoPjAmue {
  codAnu: string;
  codTpj: string;
  libTpj: string;
  nomFic: string | null;
  temDemPJ: boolean;
  stuPj: string;
  mtfRefus: string | null;
  cmtMtfRefus: string | null;
  datDemPj: string | null;
  datRecPj: string | null;
  datRefus: string | null;
  datVal: string | null;
  datExp: string | null;
  daaPreTra: string | null;
}

export interface LigneEnAttente {
  codOpiIntEpo: string;
  individu: string;
  libNomPatIndOpi: string;
  libPr1IndOpi: string;
  adresse: string | null;
  manquantes: PieceLue[];
}

export class ConsultationPieces {
  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly pieces: ServicePieces,
  ) {}

  /** The OPIs of the individual a student number (through OPI, LP or IA) or an OPI number names, for a year. */
  async opisDe(q: CritereAmue): Promise<{ codAnu: string; codes: string[] }> {
    if (!q.codAnu || !/^\d{4}$/.test(q.codAnu))
      throw ErreurMetier.une(q.codAnu ? 'FORMAT_INVALIDE' : 'CRITERE_RECHERCHE_MANQUANT', 'codAnu', {
        criteres: 'codAnu (AAAA)',
        attendu: 'une année sur 4 chiffres',
      });
    if (q.codOpiIntEpo) {
      const code = normaliserCodOpi(q.codOpiIntEpo);
      return { codAnu: q.codAnu, codes: (await this.unite.lecture.opi.lire(code)) ? [code] : [] };
    }
    if (!q.codEtu) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', 'codEtu', { criteres: 'codEtu ou codOpiIntEpo' });
    const codEtu = normaliserCodEtu(q.codEtu);
    if (!/^\d{1,8}$/.test(codEtu)) throw ErreurMetier.une('FORMAT_INVALIDE', 'codEtu', { attendu: 'un numéro étudiant, 8 chiffres au plus' });
    const l = this.unite.lecture;
    const [opis, lps, ias] = await Promise.all([
      l.opi.deIndividu({ codEtu: Number(codEtu) }),
      l.lp.pourIndividu({ codOpiIntEpo: [], codEtu: [codEtu], ine: [] }, q.codAnu),
      l.inscriptions.rechercher({ codEtu, codAnu: q.codAnu }, undefined, 50),
    ]);
    const codes = [...opis.map((o) => o.codOpiIntEpo), ...lps.map((x) => x.codOpiIntEpo), ...ias.map((x) => x.codOpiIntEpo)].filter((c): c is string => !!c);
    return { codAnu: q.codAnu, codes: [...new Set(codes)] };
  }

  async info(q: CritereAmue): Promise<InfoPjAmue[]> {
    const { codAnu, codes } = await this.opisDe(q);
    if (!codes.length) throw ErreurMetier.une('INDIVIDU_INTROUVABLE', q.codOpiIntEpo ? 'codOpiIntEpo' : 'codEtu');
    const sortie: InfoPjAmue[] = [];
    for (const code of codes) {
      const { pieces } = await this.pieces.deOpi(code);
      for (const p of pieces) if (!q.codTpj || p.codTpj === q.codTpj.toUpperCase()) sortie.push(versAmue(codAnu, p));
    }
    if (q.codTpj && !sortie.length) throw ErreurMetier.une('PJ_INTROUVABLE', 'codTpj', { codTpj: q.codTpj.toUpperCase(), individu: "l'étudiant" });
    return sortie;
  }

  async fichier(q: CritereAmue) {
    if (!q.codTpj) throw ErreurMetier.une('CRITERE_RECHERCHE_MANQUANT', 'codTpj', { criteres: 'codTpj' });
    const { codes } = await this.opisDe(q);
    if (!codes.length) throw ErreurMetier.une('INDIVIDU_INTROUVABLE', q.codOpiIntEpo ? 'codOpiIntEpo' : 'codEtu');
    for (const code of codes) {
      if (await this.unite.lecture.pieces.trouver(code, q.codTpj.toUpperCase())) return this.pieces.contenu(code, q.codTpj);
    }
    throw ErreurMetier.une('PJ_INTROUVABLE', 'codTpj', { codTpj: q.codTpj.toUpperCase(), individu: "l'étudiant" });
  }

  /**
   * Who still owes what (a document owed and not received, or refused), by pages of OPIs in creation
   * order; filters: a formation (`codEtp`) the individual may enrol in, a document type, OPIs since a date.
   */
  async enAttente(q: Record<string, string | undefined>): Promise<{ individus: LigneEnAttente[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 100, 500);
    const apres = q.apres === undefined ? 0 : Number(q.apres);
    if (!Number.isInteger(apres) || apres < 0) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'apres', { detail: 'apres : un identifiant entier' });
    let depuis: Date | undefined;
    if (q.depuis !== undefined) {
      depuis = new Date(q.depuis);
      if (Number.isNaN(depuis.getTime())) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'depuis', { detail: 'depuis : date ou date-heure ISO attendue' });
    }
    const codTpj = q.codTpj?.toUpperCase();
    const codEtp = q.codEtp?.toUpperCase();
    const opis = await this.unite.lecture.opi.page(apres, limite, depuis);
    const recues = await this.unite.lecture.pieces.dePlusieurs(opis.map((o) => o.codOpiIntEpo));
    const individus: LigneEnAttente[] = [];
    for (const opi of opis) {
      if (codEtp && !(await this.unite.lecture.opi.voeuxDe(opi.id)).some((v) => v.codEtp === codEtp)) {
        const lps = await this.unite.lecture.lp.pourIndividu({ codOpiIntEpo: [opi.codOpiIntEpo], codEtu: [], ine: [] }, opi.codAnu ?? '');
        if (!lps.some((x) => x.codEtp === codEtp)) continue;
      }
      const r = await this.pieces.piecesDe(
        opi,
        recues.filter((x) => x.codOpiIntEpo === opi.codOpiIntEpo),
      );
      const manquantes = r.pieces.filter((p) => p.attendue && resteAFournir(p.statut) && (!codTpj || p.codTpj === codTpj));
      if (manquantes.length) {
        individus.push({
          codOpiIntEpo: opi.codOpiIntEpo,
          individu: cleIndividu({ codOpiIntEpo: opi.codOpiIntEpo })!,
          libNomPatIndOpi: opi.libNomPatIndOpi,
          libPr1IndOpi: opi.libPr1IndOpi,
          adresse: r.adresse,
          manquantes,
        });
      }
    }
    return { individus, suivant: opis.length === limite ? opis[opis.length - 1].id : null };
  }

  operations() {
    const info: DefinitionOperation<CritereAmue, never, InfoPjAmue[]> = {
      cle: (q) => q.codTpj?.toUpperCase(),
      individu: (q) => cleIndividu({ codOpiIntEpo: q.codOpiIntEpo, codEtu: q.codEtu }),
      lire: (q) => this.info(q),
      issue: () => ({ resultat: 'LU' }),
    };
    const fichier: DefinitionOperation<CritereAmue, never, Awaited<ReturnType<ConsultationPieces['fichier']>>> = {
      cle: (q) => q.codTpj?.toUpperCase(),
      individu: (q) => cleIndividu({ codOpiIntEpo: q.codOpiIntEpo, codEtu: q.codEtu }),
      lire: (q) => this.fichier(q),
      issue: () => ({ resultat: 'LU' }),
    };
    const enAttente: DefinitionOperation<Record<string, string | undefined>, never, Awaited<ReturnType<ConsultationPieces['enAttente']>>> = {
      lire: (q) => this.enAttente(q),
      issue: () => ({ resultat: 'LU' }),
    };
    return { info, fichier, enAttente };
  }
}

function dateAmue(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  const deux = (n: number) => String(n).padStart(2, '0');
  // Paris time, as Apogée shows it.
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('fr-FR', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.day ?? deux(d.getDate())}-${p.month}-${p.year} ${p.hour}:${p.minute}`;
}

function versAmue(codAnu: string, p: PieceLue): InfoPjAmue {
  return {
    codAnu,
    codTpj: p.codTpj,
    libTpj: p.libelle,
    nomFic: p.nomFichier,
    temDemPJ: p.attendue,
    stuPj: p.statut,
    mtfRefus: p.statut === 'REFUSEE' ? (p.libelleMotifRefus ?? p.motifRefus) : null,
    cmtMtfRefus: p.statut === 'REFUSEE' ? p.commentaire : null,
    datDemPj: null,
    datRecPj: dateAmue(p.deposeLe),
    datRefus: p.statut === 'REFUSEE' ? dateAmue(p.statutLe) : null,
    datVal: p.statut === 'VALIDEE' ? dateAmue(p.statutLe) : null,
    datExp: null,
    daaPreTra: null,
  };
}

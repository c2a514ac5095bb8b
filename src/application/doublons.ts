/**
 * Possible duplicate individuals (found when an OPI was written: same INE, same student number, same
 * civil state): listed with both OPIs side by side, and the staff's decision — same person or
 * different people — recorded with who took it and when (journaled like any write).
 */
import { ErreurMetier } from '../domain/errors';
import { lireLimite } from './pagination';
import type { DefinitionOperation } from './pipeline';
import type { DoublonOpiLigne } from './enregistrements';
import type { UniteDeTravailPort } from './ports';

export const DECISIONS_DOUBLON = ['MEME_PERSONNE', 'PERSONNES_DIFFERENTES'] as const;

export interface FicheDoublon {
  codOpiIntEpo: string;
  nom: string | null;
  prenom: string | null;
  dateNaissance: string | null;
  ine: string | null;
  codEtu: number | null;
}

export interface PaireDoublon {
  id: number;
  motif: string;
  detecteLe: string;
  decision: string | null;
  decidePar: string | null;
  decideLe: string | null;
  nouvelle: FicheDoublon | null;
  existante: FicheDoublon | null;
}

export class ServiceDoublons {
  constructor(private readonly unite: UniteDeTravailPort) {}

  private async fiche(code: string): Promise<FicheDoublon | null> {
    const o = await this.unite.lecture.opi.lire(code);
    if (!o) return null;
    return {
      codOpiIntEpo: o.codOpiIntEpo,
      nom: o.libNomPatIndOpi,
      prenom: o.libPr1IndOpi,
      dateNaissance: o.dateNaiIndOpi,
      ine: o.codNneIndOpi ? `${o.codNneIndOpi}${o.codCleNneIndOpi ?? ''}` : null,
      codEtu: o.codEtuOpi,
    };
  }

  private async paire(d: DoublonOpiLigne): Promise<PaireDoublon> {
    return {
      id: d.id,
      motif: d.motif,
      detecteLe: new Date(d.detecteLe).toISOString(),
      decision: d.decision ?? null,
      decidePar: d.decidePar ?? null,
      decideLe: d.decideLe ? new Date(d.decideLe).toISOString() : null,
      nouvelle: await this.fiche(d.codOpiIntEpo),
      existante: await this.fiche(d.codOpiIntEpoExistant),
    };
  }

  async lister(q: Record<string, string | undefined>): Promise<{ paires: PaireDoublon[]; suivant: number | null }> {
    const limite = lireLimite(q.limite, 50, 200);
    if (q.decidees !== undefined && !['true', 'false'].includes(q.decidees))
      throw ErreurMetier.une('PARAMETRE_INVALIDE', 'decidees', { detail: 'decidees : true ou false' });
    const avant = q.avant === undefined ? undefined : Number(q.avant);
    if (avant !== undefined && !Number.isInteger(avant)) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'avant', { detail: 'avant : un identifiant entier' });
    const lignes = await this.unite.lecture.opi.listerDoublons({ decidees: q.decidees === undefined ? undefined : q.decidees === 'true', avant, limite });
    const paires = [];
    for (const l of lignes) paires.push(await this.paire(l));
    return { paires, suivant: lignes.length === limite ? lignes[lignes.length - 1].id : null };
  }

  operations() {
    const lister: DefinitionOperation<Record<string, string | undefined>, never, { paires: PaireDoublon[]; suivant: number | null }> = {
      lire: (q) => this.lister(q),
    };
    const decider: DefinitionOperation<{ id: unknown; corps: unknown }, { id: number; decision: string }, PaireDoublon> = {
      cle: (e) => String(e.id),
      preparer: async (e) => {
        const id = Number(e.id);
        if (!Number.isInteger(id) || id < 1) throw ErreurMetier.une('PARAMETRE_INVALIDE', 'id', { detail: "id : l'identifiant entier d'une paire" });
        const decision = (e.corps as { decision?: unknown } | null)?.decision;
        if (typeof decision !== 'string' || !(DECISIONS_DOUBLON as readonly string[]).includes(decision))
          throw ErreurMetier.une('VALEUR_NON_AUTORISEE', 'decision', { valeurs: DECISIONS_DOUBLON.join(', ') });
        return { id, decision };
      },
      ecrire: async ({ id, decision }, d, ctx) => {
        const ligne = await d.opi.lireDoublon(id);
        if (!ligne) throw ErreurMetier.une('RESSOURCE_INTROUVABLE', 'id', { ressource: `paire de doublons ${id}` });
        const le = new Date();
        await d.opi.deciderDoublon(id, decision, ctx.client, le);
        return this.paire({ ...ligne, decision, decidePar: ctx.client, decideLe: le });
      },
      issue: (r) => ({ resultat: r.decision ?? 'OK' }),
    };
    return { lister, decider };
  }
}

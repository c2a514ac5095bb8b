/**
 * Journal rows that stand alone (an unchanged re-send, a read, a refusal): written together. While one
 * multi-row INSERT is on its way, the rows of the requests that end meanwhile wait and go in the next
 * one — one statement for many requests under load, no added wait when there is no load (the first
 * row leaves at once). Each caller's promise settles only once its own row is written: nobody is
 * answered before their row is in the database.
 */
import type { JournalLigne } from './enregistrements';
import type { DiagnosticBase, UniteDeTravailPort } from './ports';

/** Rows per INSERT at most (15 columns: 3,000 parameters, far under every database's bound). */
export const LIGNES_PAR_GROUPE = 200;

interface EnAttente {
  ligne: Omit<JournalLigne, 'id'>;
  ok(): void;
  echec(err: unknown): void;
}

export class JournalGroupe {
  private attente: EnAttente[] = [];
  private enCours = false;
  /** INSERTs sent and rows written: what the grouping saves. */
  instructions = 0;
  lignes = 0;

  constructor(
    private readonly unite: UniteDeTravailPort,
    private readonly diagnostic: Pick<DiagnosticBase, 'estRejouable' | 'estBaseIndisponible'>,
  ) {}

  /** Resolves once the row is written; rejects with the write's error. */
  ecrire(ligne: Omit<JournalLigne, 'id'>): Promise<void> {
    return new Promise<void>((ok, echec) => {
      this.attente.push({ ligne, ok, echec });
      if (!this.enCours) void this.vider();
    });
  }

  private async vider(): Promise<void> {
    this.enCours = true;
    try {
      while (this.attente.length) {
        const groupe = this.attente.splice(0, LIGNES_PAR_GROUPE);
        await this.ecrireGroupe(groupe);
      }
    } finally {
      this.enCours = false;
    }
  }

  private async ecrireGroupe(groupe: EnAttente[]): Promise<void> {
    try {
      await this.inserer(groupe.map((g) => g.ligne));
      for (const g of groupe) g.ok();
    } catch (err) {
      // A row the database refuses must not take the others with it: each alone, its own outcome.
      // (A transient failure, already retried by the unit of work, or a database down: one verdict for all.)
      if (groupe.length === 1 || this.diagnostic.estRejouable(err) || this.diagnostic.estBaseIndisponible(err)) {
        for (const g of groupe) g.echec(err);
        return;
      }
      for (const g of groupe) await this.inserer([g.ligne]).then(g.ok, g.echec);
    }
  }

  private async inserer(lignes: Omit<JournalLigne, 'id'>[]): Promise<void> {
    this.instructions++;
    await this.unite.ecrireSeul((d) => d.journal.ecrirePlusieurs(lignes));
    this.lignes += lignes.length;
  }
}

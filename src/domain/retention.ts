/**
 * How long what the gateway holds is kept. A campaign (`codAnu` Y) runs from 1 March of Y to the end of
 * February of Y+1 (the same cut as `anneeCampagne`); what belongs to a campaign is kept a number of days
 * after that campaign's end, the rest a number of days after it was written.
 */
import { anneeCampagne } from './campagne';

const JOUR_MS = 86_400_000;

/** The first instant after campaign `annee`: 1 March of the next year (UTC; an hour either way is immaterial here). */
export function finCampagne(annee: string | number): Date {
  return new Date(Date.UTC(Number(annee) + 1, 2, 1));
}

/** The campaign an instant belongs to. */
export function campagneDe(instant: Date): string {
  return anneeCampagne(instant.toISOString().slice(0, 10));
}

/**
 * The latest campaign whose end is at least `jours` days before `maintenant`: what belongs to it (or to
 * an earlier one) may go. Undefined when none has ended that long ago.
 */
export function derniereCampagnePurgeable(maintenant: Date, jours: number): string | undefined {
  let c = Number(campagneDe(maintenant));
  while (finCampagne(c).getTime() + jours * JOUR_MS > maintenant.getTime()) c--;
  return c > 1900 ? String(c) : undefined;
}

/**
 * The instant before which rows are purged: for a kind kept `jours` after the end of its campaign,
 * the end of the last purgeable campaign (rows received before it belong to campaigns that ended long
 * enough ago); for a kind kept `jours` after it was written, `jours` before `maintenant`.
 */
export function limiteRetention(maintenant: Date, jours: number, depuis: 'fin-de-campagne' | 'ecriture'): Date {
  if (depuis === 'ecriture') return new Date(maintenant.getTime() - jours * JOUR_MS);
  const c = derniereCampagnePurgeable(maintenant, jours);
  return c === undefined ? new Date(0) : finCampagne(c);
}

/** The campaigns whose candidates may be purged: `campagnes` campaigns before the current one, and earlier. */
export function campagneLimitePurgeRgpd(maintenant: Date, campagnes: number): string {
  return String(Number(campagneDe(maintenant)) - campagnes);
}

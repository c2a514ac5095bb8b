// Built once: an Intl formatter holds ICU memory outside the V8 heap, so one per call (per imported row)
// swelled the import's RSS far beyond its live data before the GC ran.
const JOUR_PARIS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Paris changes day on a whole minute (its offsets are whole hours): the last minute formatted is kept. */
let derniereMinute = Number.NaN;
let dernierJour = '';

/** "Today" in Europe/Paris as an ISO date: the calendar day that matters for ages and years. */
export function aujourdhuiParis(maintenant: Date = new Date()): string {
  const minute = Math.floor(maintenant.getTime() / 60_000);
  if (minute !== derniereMinute) {
    dernierJour = JOUR_PARIS.format(maintenant);
    derniereMinute = minute;
  }
  return dernierJour;
}
export { anneeCampagne } from '../domain/campagne';

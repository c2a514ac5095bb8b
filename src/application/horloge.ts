// Built once: an Intl formatter holds ICU memory outside the V8 heap, so one per call (per imported row)
// swelled the import's RSS far beyond its live data before the GC ran.
const JOUR_PARIS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** "Today" in Europe/Paris as an ISO date: the calendar day that matters for ages and years. */
export function aujourdhuiParis(maintenant: Date = new Date()): string {
  return JOUR_PARIS.format(maintenant);
}

export { anneeCampagne } from '../domain/campagne';

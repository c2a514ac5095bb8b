/** "Today" in Europe/Paris as an ISO date: the calendar day that matters for ages and years. */
export function aujourdhuiParis(maintenant: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(maintenant);
}

export { anneeCampagne } from '../domain/campagne';

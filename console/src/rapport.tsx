/** A job followed to its end, and its report: each rejected row with its values, the cells a problem names highlighted, every problem said. */
import { useEffect, useState } from 'react';
import { appeler, type ProblemeApi } from './api';
import { ETATS, type EtatJob } from './chargements';

/** A job's state as a door answers it, with its first rejected rows when it waited for the end. */
export type Resultat = EtatJob & { rejets?: Rejet[]; apercu?: { ligne: number; valeurs: Record<string, unknown> }[] };

/** Follows a job until it ends, giving each state to `etat`. */
export async function suivreJob(accepte: Resultat, etat: (j: Resultat) => void): Promise<Resultat> {
  etat(accepte);
  for (;;) {
    const e = await appeler<Resultat>('GET', `/jobs/${accepte.id}`);
    etat(e);
    if (e.finLe) return e;
    await new Promise((ok) => setTimeout(ok, 400));
  }
}

/** A running or ended job: progress (rows, rate, time left), then its report. */
export function Avancement({ job }: { job: Resultat }) {
  const progression = job.lignesTotal ? Math.min(100, Math.round((100 * job.lignesLues) / job.lignesTotal)) : undefined;
  return (
    <div role="status" aria-live="polite">
      <h2>
        {job.simulation ? 'Vérification' : 'Chargement'} : {ETATS[job.etat] ?? job.etat}
      </h2>
      <progress max={100} value={progression ?? (job.finLe ? 100 : undefined)} aria-label="Avancement du chargement" />
      <p>
        {job.lignesLues}
        {job.lignesTotal ? ` / ${job.lignesTotal}` : ''} lignes{job.debit ? ` — ${job.debit} lignes/s` : ''}
        {job.resteSecondes ? ` — environ ${job.resteSecondes} s restantes` : ''}
      </p>
      {job.finLe && <RapportFinal job={job} />}
    </div>
  );
}

export interface Rejet {
  ligne: number;
  erreurs: ProblemeApi[];
  valeurs: Record<string, unknown>;
}

/** The column a problem's path names (`codEtp`, `voeux[0].codEtp` → codEtp). */
const colonneDe = (path: string) =>
  path
    .split('.')
    .pop()
    ?.replace(/\[\d+\]$/, '') ?? '';

export function TableRejets({ rejets, legende }: { rejets: Rejet[]; legende: string }) {
  const colonnes = [...new Set(rejets.flatMap((r) => Object.keys(r.valeurs ?? {})).filter((c) => !c.startsWith('__')))];
  return (
    <table>
      <caption>{legende}</caption>
      <thead>
        <tr>
          <th scope="col">Ligne</th>
          {colonnes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">Problèmes</th>
        </tr>
      </thead>
      <tbody>
        {rejets.map((r) => {
          const enErreur = new Set(r.erreurs.map((e) => colonneDe(e.path)));
          return (
            <tr key={r.ligne}>
              <th scope="row">{r.ligne}</th>
              {colonnes.map((c) => (
                <td key={c} className={enErreur.has(c) ? 'erreur' : undefined} aria-invalid={enErreur.has(c) || undefined}>
                  {String(r.valeurs?.[c] ?? '')}
                </td>
              ))}
              <td>
                <ul>
                  {r.erreurs.map((e) => (
                    <li key={`${e.code}|${e.path}|${e.message}`}>
                      <strong>{e.path || 'ligne'}</strong> : {e.message} <small>({e.code})</small>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function RapportFinal({ job }: { job: Resultat }) {
  const [rejets, setRejets] = useState<Rejet[] | null>(null);
  useEffect(() => {
    if (job.lignesRejetees > 0)
      appeler<{ rejets: Rejet[] }>('GET', `/jobs/${job.id}/rejets`).then(
        (r) => setRejets(r.rejets),
        () => setRejets([]),
      );
  }, [job.id, job.lignesRejetees]);
  return (
    <>
      <p className={job.lignesRejetees ? 'alerte' : 'succes'}>
        {job.creees} créée(s), {job.misesAJour} mise(s) à jour, {job.inchangees} inchangée(s), <strong>{job.lignesRejetees} rejetée(s)</strong>.
      </p>
      {job.lignesRejetees > 0 && (
        <p>
          <a href={`/api/v1/jobs/${job.id}/rejets?format=csv`} download>
            Télécharger le rapport des rejets (CSV)
          </a>{' '}
          — corrigez ces lignes et envoyez le fichier corrigé (les lignes déjà écrites resteront inchangées).
        </p>
      )}
      {rejets && rejets.length > 0 && <TableRejets rejets={rejets} legende="Lignes rejetées" />}
    </>
  );
}

/** A job's rejected rows: each value of the row, the cells a problem names highlighted, every problem said. */
import type { ProblemeApi } from './api';

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

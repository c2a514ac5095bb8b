/** A plain table with a caption and column headers: the figures beside a chart, the codes of a nomenclature. */

export function Tableau({
  legende,
  colonnes,
  lignes,
  legendeCachee,
}: {
  legende: string;
  legendeCachee?: boolean;
  colonnes: string[];
  lignes: (string | number)[][];
}) {
  return (
    <table>
      <caption className={legendeCachee ? 'visuellement-cache' : undefined}>{legende}</caption>
      <thead>
        <tr>
          {colonnes.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {lignes.map((l) => (
          <tr key={l.join('|')}>
            {l.map((x, i) => (
              <td key={colonnes[i]}>{x}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

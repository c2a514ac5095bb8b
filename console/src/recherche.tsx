/**
 * An individual found by OPI number, INE, student number or name + birth date, with everything the
 * gateway holds for the campaign: OPI and vœux, laissez-passer, the formations they open with each
 * value and where it comes from (LP over OPI vœu over OPI individu over formation default), the
 * supporting documents (view, validate, refuse with a reason) and the IA.
 */
import { useCallback, useEffect, useState } from 'react';
import { appeler, peut, type Session, messageErreur } from './api';

type Critere = 'opi' | 'ine' | 'codEtu' | 'nom';
interface Opi {
  codOpiIntEpo: string;
  donnees: {
    individu: { etatCivil: Record<string, string>; donneesNaissance: Record<string, string>; codEtuOpi?: number };
    voeux: { numCls: number; codEtp: string; codVrsVet: number; codCge: string; codDecVeu?: string; codRge?: string }[];
  };
  doublons: unknown[];
}
interface Valeur {
  valeur: string | null;
  source: string | null;
}
interface Formation {
  codEtp: string;
  codVrsVet: number;
  libelle: string;
  ouvertPar: string[];
  valeurs: Record<string, Valeur>;
}
interface Piece {
  codTpj: string;
  libelle: string;
  statut: string;
  nomFichier: string | null;
  raisons: string[];
  libelleMotifRefus: string | null;
}
interface Inscription {
  id: number;
  codEtp: string;
  codVrsVet: number;
  etat: string;
  explication: string[];
}
interface LaissezPasser {
  id: number;
  typLpa: string;
  codEtp: string;
  codVrsVet: number;
}

const SOURCES: Record<string, string> = {
  LP: 'laissez-passer',
  OPI_VOEU: 'vœu de l’OPI',
  OPI_INDIVIDU: 'OPI (individu)',
  FORMATION: 'défaut de la formation',
};
const STATUTS_PJ: Record<string, string> = { ATTENDUE: 'attendue', DEPOSEE: 'déposée, à vérifier', VALIDEE: 'validée', REFUSEE: 'refusée' };

/** The campaign of today: from March, the year that starts in September. */
function campagneCourante(): string {
  const d = new Date();
  return String(d.getMonth() >= 2 ? d.getFullYear() : d.getFullYear() - 1);
}

export function PageRecherche({ session }: { session: Session }) {
  // `?opi=…` (a link from another page) searches that OPI at once.
  const demandee = new URLSearchParams(location.search).get('opi') ?? '';
  const [critere, setCritere] = useState<Critere>(demandee ? 'opi' : 'nom');
  const [valeur, setValeur] = useState(demandee);
  const [naissance, setNaissance] = useState('');
  const [codAnu, setCodAnu] = useState(campagneCourante());
  const [resultats, setResultats] = useState<Opi[] | null>(null);
  const [choisi, setChoisi] = useState<Opi | null>(null);
  const [erreur, setErreur] = useState('');

  const chercher = async (e?: React.FormEvent) => {
    e?.preventDefault();
    setErreur('');
    setChoisi(null);
    try {
      if (critere === 'opi') {
        const o = await appeler<Opi>('GET', `/opi/${encodeURIComponent(valeur.trim())}`);
        setResultats([o]);
        setChoisi(o);
        return;
      }
      const q = new URLSearchParams(critere === 'nom' ? { nom: valeur, dateNaissance: naissance } : { [critere]: valeur });
      const r = await appeler<{ resultats: Opi[] }>('GET', `/opi?${q}`);
      setResultats(r.resultats);
      if (r.resultats.length === 1) setChoisi(r.resultats[0]);
    } catch (err) {
      setResultats(null);
      setErreur(messageErreur(err));
    }
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the OPI the link named.
  useEffect(() => {
    if (demandee) void chercher();
  }, []);
  return (
    <section aria-labelledby="titre-recherche">
      <h1 id="titre-recherche">Recherche d’un individu</h1>
      <form onSubmit={chercher}>
        <label htmlFor="critere">Chercher par</label>
        <select id="critere" value={critere} onChange={(e) => setCritere(e.target.value as Critere)}>
          <option value="nom">nom et date de naissance</option>
          <option value="opi">numéro d’OPI</option>
          <option value="ine">INE</option>
          <option value="codEtu">numéro étudiant</option>
        </select>
        <label>
          {critere === 'nom' ? 'Nom' : critere === 'opi' ? 'Numéro d’OPI' : critere === 'ine' ? 'INE' : 'Numéro étudiant'}
          <input required value={valeur} onChange={(e) => setValeur(e.target.value)} />
        </label>
        {critere === 'nom' && (
          <label>
            Date de naissance
            <input type="date" required value={naissance} onChange={(e) => setNaissance(e.target.value)} />
          </label>
        )}
        <label>
          Campagne (année)
          <input inputMode="numeric" pattern="\d{4}" value={codAnu} onChange={(e) => setCodAnu(e.target.value)} />
        </label>
        <button className="principal" type="submit">
          Chercher
        </button>
      </form>
      {erreur && (
        <p className="alerte" role="alert">
          {erreur}
        </p>
      )}
      {resultats && resultats.length === 0 && <p role="status">Aucun individu trouvé.</p>}
      {resultats && resultats.length > 1 && (
        <ul aria-label="Individus trouvés">
          {resultats.map((o) => (
            <li key={o.codOpiIntEpo}>
              <button type="button" onClick={() => setChoisi(o)}>
                {o.codOpiIntEpo} — {o.donnees.individu.etatCivil.libNomPatIndOpi} {o.donnees.individu.etatCivil.libPr1IndOpi}
              </button>
            </li>
          ))}
        </ul>
      )}
      {choisi && <Fiche opi={choisi} codAnu={codAnu} session={session} />}
    </section>
  );
}

function Fiche({ opi, codAnu, session }: { opi: Opi; codAnu: string; session: Session }) {
  const code = opi.codOpiIntEpo;
  const [formations, setFormations] = useState<Formation[]>([]);
  const [lps, setLps] = useState<LaissezPasser[]>([]);
  const [pieces, setPieces] = useState<Piece[]>([]);
  const [ias, setIas] = useState<Inscription[]>([]);
  const [message, setMessage] = useState('');
  const [motifs, setMotifs] = useState<{ code: string; libelle: string }[]>([]);
  const chargerPieces = useCallback(
    () =>
      appeler<{ pieces: Piece[] }>('GET', `/opi/${code}/pj`).then(
        (r) => setPieces(r.pieces),
        () => setPieces([]),
      ),
    [code],
  );
  useEffect(() => {
    appeler<{ formations: Formation[] }>('GET', `/acces?codAnu=${codAnu}&codOpiIntEpo=${code}`).then(
      (r) => setFormations(r.formations),
      () => setFormations([]),
    );
    appeler<{ laissezPasser: LaissezPasser[] }>('GET', `/laissez-passer?codOpiIntEpo=${code}&codAnu=${codAnu}`).then(
      (r) => setLps(r.laissezPasser),
      () => setLps([]),
    );
    appeler<{ inscriptions: Inscription[] }>('GET', `/inscriptions?codOpiIntEpo=${code}`).then(
      (r) => setIas(r.inscriptions),
      () => setIas([]),
    );
    appeler<{ codes: { code: string; libelle: string }[] }>('GET', '/nomenclatures/motifs-refus-pj?enService=true').then(
      (r) => setMotifs(r.codes),
      () => setMotifs([]),
    );
    chargerPieces();
  }, [code, codAnu, chargerPieces]);
  const statuer = async (codTpj: string, corps: { statut: 'VALIDEE' | 'REFUSEE'; motif?: string; commentaire?: string }) => {
    try {
      await appeler('POST', `/opi/${code}/pj/${codTpj}/statut`, corps);
      await chargerPieces();
      setMessage(`Pièce ${codTpj} : ${corps.statut === 'VALIDEE' ? 'validée' : 'refusée'}.`);
    } catch (err) {
      setMessage(messageErreur(err));
    }
  };
  const ec = opi.donnees.individu.etatCivil;
  return (
    <article aria-labelledby="titre-fiche">
      <h2 id="titre-fiche">
        {ec.libNomPatIndOpi} {ec.libPr1IndOpi} — OPI {code}
      </h2>
      <p>
        Né(e) le {opi.donnees.individu.donneesNaissance.dateNaiIndOpi}
        {ec.codNneIndOpi ? ` — INE ${ec.codNneIndOpi}` : ''}
        {opi.doublons.length ? ` — ${opi.doublons.length} doublon(s) possible(s)` : ''}
      </p>
      {message && <p role="status">{message}</p>}
      <h3>Vœux</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Classement</th>
            <th scope="col">Étape</th>
            <th scope="col">Décision</th>
          </tr>
        </thead>
        <tbody>
          {opi.donnees.voeux.map((v) => (
            <tr key={`${v.codEtp}-${v.codVrsVet}`}>
              <td>{v.numCls}</td>
              <td>
                {v.codEtp} v{v.codVrsVet}
              </td>
              <td>{v.codDecVeu ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Laissez-passer ({codAnu})</h3>
      {lps.length ? (
        <ul>
          {lps.map((l) => (
            <li key={l.id}>
              {l.typLpa} — {l.codEtp} v{l.codVrsVet}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aucun.</p>
      )}
      <h3>Formations accessibles et valeurs retenues</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Formation</th>
            <th scope="col">Ouverte par</th>
            <th scope="col">Régime</th>
            <th scope="col">Statut</th>
            <th scope="col">Situation droits</th>
          </tr>
        </thead>
        <tbody>
          {formations.map((f) => (
            <tr key={`${f.codEtp}-${f.codVrsVet}`}>
              <td>
                {f.codEtp} v{f.codVrsVet} — {f.libelle}
              </td>
              <td>{f.ouvertPar.map((s) => SOURCES[s] ?? s).join(', ')}</td>
              {(['codRgi', 'codStu', 'codCatExoExt'] as const).map((k) => (
                <td key={k}>
                  {f.valeurs[k]?.valeur ?? '—'}
                  {f.valeurs[k]?.source && <small> ({SOURCES[f.valeurs[k].source!] ?? f.valeurs[k].source})</small>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Pièces justificatives</h3>
      <table>
        <thead>
          <tr>
            <th scope="col">Pièce</th>
            <th scope="col">État</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {pieces.map((p) => (
            <tr key={p.codTpj}>
              <td>
                {p.libelle} <small>({p.raisons.join(' ; ')})</small>
              </td>
              <td>
                {STATUTS_PJ[p.statut] ?? p.statut}
                {p.libelleMotifRefus ? ` : ${p.libelleMotifRefus}` : ''}
              </td>
              <td>
                {p.nomFichier && (
                  <a href={`/api/v1/opi/${code}/pj/${p.codTpj}/contenu`} target="_blank" rel="noopener">
                    Voir {p.nomFichier}
                  </a>
                )}
                {p.statut === 'DEPOSEE' && peut(session, 'pj:valider') && <Decision codTpj={p.codTpj} motifs={motifs} statuer={statuer} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Inscriptions administratives</h3>
      {ias.length ? (
        ias.map((i) => (
          <details key={i.id}>
            <summary>
              {i.codEtp} v{i.codVrsVet} — {i.etat}
            </summary>
            <ul>
              {i.explication.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          </details>
        ))
      ) : (
        <p>Aucune.</p>
      )}
    </article>
  );
}

function Decision({
  codTpj,
  motifs,
  statuer,
}: {
  codTpj: string;
  motifs: { code: string; libelle: string }[];
  statuer: (codTpj: string, corps: { statut: 'VALIDEE' | 'REFUSEE'; motif?: string; commentaire?: string }) => void;
}) {
  const [motif, setMotif] = useState('');
  const [commentaire, setCommentaire] = useState('');
  return (
    <div>
      <button type="button" onClick={() => statuer(codTpj, { statut: 'VALIDEE' })}>
        Valider {codTpj}
      </button>
      <label htmlFor={`motif-${codTpj}`}>Motif du refus de {codTpj}</label>
      <select id={`motif-${codTpj}`} value={motif} onChange={(e) => setMotif(e.target.value)}>
        <option value="">—</option>
        {motifs.map((m) => (
          <option key={m.code} value={m.code}>
            {m.libelle}
          </option>
        ))}
      </select>
      <label>
        Précision pour l’étudiant ({codTpj})
        <input value={commentaire} onChange={(e) => setCommentaire(e.target.value)} />
      </label>
      <button type="button" disabled={!motif} onClick={() => statuer(codTpj, { statut: 'REFUSEE', motif, ...(commentaire ? { commentaire } : {}) })}>
        Refuser {codTpj}
      </button>
    </div>
  );
}

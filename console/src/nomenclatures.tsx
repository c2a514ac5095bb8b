/** Every nomenclature, browsable and searchable: the codes staff need while filling a file. */
import { useEffect, useState } from 'react';
import { appeler } from './api';
import { Tableau } from './tableau';

interface Nomenclature {
  nom: string;
  libelle: string;
  nombre: number;
}

export function PageNomenclatures() {
  const [liste, setListe] = useState<Nomenclature[]>([]);
  const [choisie, setChoisie] = useState('');
  const [codes, setCodes] = useState<Record<string, unknown>[]>([]);
  const [filtre, setFiltre] = useState('');
  useEffect(() => {
    appeler<{ nomenclatures: Nomenclature[] }>('GET', '/nomenclatures').then((r) => {
      setListe(r.nomenclatures);
      setChoisie((c) => c || r.nomenclatures[0]?.nom || '');
    });
  }, []);
  useEffect(() => {
    if (choisie) appeler<{ codes: Record<string, unknown>[] }>('GET', `/nomenclatures/${choisie}`).then((r) => setCodes(r.codes));
  }, [choisie]);
  const cherche = filtre.trim().toLowerCase();
  const vus = cherche ? codes.filter((c) => JSON.stringify(c).toLowerCase().includes(cherche)) : codes;
  const colonnes = [...new Set(codes.slice(0, 50).flatMap((c) => Object.keys(c)))].filter((k) => typeof codes[0]?.[k] !== 'object' || codes[0]?.[k] === null);
  return (
    <section aria-labelledby="titre-nomenclatures">
      <h1 id="titre-nomenclatures">Nomenclatures</h1>
      <label htmlFor="choix-nomenclature">Nomenclature</label>
      <select id="choix-nomenclature" value={choisie} onChange={(e) => setChoisie(e.target.value)}>
        {liste.map((n) => (
          <option key={n.nom} value={n.nom}>
            {n.libelle} ({n.nombre})
          </option>
        ))}
      </select>
      <label>
        Chercher un code ou un libellé
        <input type="search" value={filtre} onChange={(e) => setFiltre(e.target.value)} />
      </label>
      <p role="status">{vus.length} code(s)</p>
      <Tableau
        legende="Codes de la nomenclature choisie"
        legendeCachee
        colonnes={colonnes}
        lignes={vus.slice(0, 500).map((c) => colonnes.map((k) => String(c[k] ?? '')))}
      />
    </section>
  );
}

/**
 * What a benchmark run says against the performance targets: one line per target with the figure
 * measured in THIS run (a ratio to its baseline wherever there is one), and the Markdown report.
 */
import type { ResultatUnitaires } from './opi-unitaire';
import type { ResultatOuverte } from './charge-ouverte';
import type { ResultatLp } from './lp-orchestre';
import type { ResultatSoap } from './lp-soap';
import { mediane } from './outils';

export interface ResultatBench {
  date: string;
  machine: { coeurs: number; node: string; mariadb: string; chargeAvant: number[] };
  dureeSecondes?: number;
  unitaires?: ResultatUnitaires;
  ouverte?: ResultatOuverte;
  lp?: ResultatLp;
  soap?: ResultatSoap;
  import?: Record<string, unknown>;
  lpMillion?: ResultatLp;
  endurance?: ResultatOuverte;
}

export interface Objectif {
  objectif: string;
  mesure: string;
  cible: string;
  atteint: boolean;
}

const mo = (mio: number) => (mio * 1024 * 1024) / 1e6;

export function objectifs(r: ResultatBench): Objectif[] {
  const o: Objectif[] = [];
  const u = r.unitaires;
  if (u) {
    const ratio = (k: string) => u.ratios[k];
    const v = u.variantes;
    // The bare Express service's own ratio beside the gateway's: the floor any HTTP door starts from here.
    const nu = (k: string) => (u.ratios[k] === undefined ? '' : `service HTTP nu ×${u.ratios[k]}`);
    const nuRest = nu('http-nu-8 / brut-8 (HTTP seul)');
    const nuRenvoi = nu('renvoi / création, service HTTP nu');
    // Each round's own ratio, when the run kept them (runs before 2026-12-04T21 did not).
    const tours = (k: string) => ((u.ratiosParTour?.[k]?.length ?? 0) > 1 ? `tours : ${u.ratiosParTour![k].join(' / ')}` : '');
    const entre = (...l: string[]) => (l.some(Boolean) ? ` (${l.filter(Boolean).join(' ; ')})` : '');
    o.push({
      objectif: 'REST OPI, 8 connexions, ÷ pilote brut',
      mesure: `×${ratio('rest-8 / brut-8')}${entre(tours('rest-8 / brut-8'), `${v['rest-8'].mediane} / ${v['brut-8'].mediane} par s`, nuRest)}`,
      cible: '≥ ×0,5',
      atteint: ratio('rest-8 / brut-8') >= 0.5,
    });
    o.push({
      objectif: 'REST OPI, 32 connexions, ÷ pilote brut',
      mesure: `×${ratio('rest-32 / brut-32')}${entre(tours('rest-32 / brut-32'), `${v['rest-32'].mediane} / ${v['brut-32'].mediane} par s`)}`,
      cible: '≥ ×0,5',
      atteint: ratio('rest-32 / brut-32') >= 0.5,
    });
    o.push({
      objectif: 'renvoi inchangé ÷ création',
      mesure: `×${ratio('renvoi / création (débit)')}${entre(tours('renvoi / création (débit)'), nuRenvoi)}`,
      cible: '≥ ×2',
      atteint: ratio('renvoi / création (débit)') >= 2,
    });
    o.push({
      objectif: 'SOAP ÷ REST, CPU par enregistrement',
      mesure: `×${ratio('SOAP / REST (CPU par enregistrement)')}${entre(tours('SOAP / REST (CPU par enregistrement)'))}`,
      cible: '≤ ×1,2',
      atteint: ratio('SOAP / REST (CPU par enregistrement)') <= 1.2,
    });
    o.push({
      objectif: 'instructions / commits par OPI créée (pilote brut : 5 / 1)',
      mesure: `${v['rest-8'].instructionsParEnregistrement} / ${v['rest-8'].commitsParEnregistrement} (renvoi ${v['rest-8-renvoi'].instructionsParEnregistrement} / ${v['rest-8-renvoi'].commitsParEnregistrement})`,
      cible: '≤ 7 / 1',
      atteint: v['rest-8'].instructionsParEnregistrement <= 7.1 && v['rest-8'].commitsParEnregistrement <= 1.01,
    });
  }
  const ouv = r.ouverte;
  if (ouv) {
    const p = ouv.passerelle;
    o.push({
      objectif: `p99 à ${p.debit} requêtes/s en boucle ouverte, après ${ouv.reposS} s sans requête`,
      mesure: `${p.latencesMs.p99} ms (5 premières s : ${p.cinqPremieresSecondesMs.p99} ms ; brut ${ouv.brut.latencesMs.p99} ms)`,
      cible: '< 50 ms',
      atteint: p.latencesMs.p99 < 50 && p.cinqPremieresSecondesMs.p99 < 50 && p.erreurs === 0,
    });
    o.push({
      objectif: 'requêtes au-delà de 250 ms',
      mesure: `${p.auDelaDe250Ms} sur ${p.envoyees} (max ${p.latencesMs.max} ms)`,
      cible: '0',
      atteint: p.auDelaDe250Ms === 0,
    });
    const pic = Math.max(...Object.values(p.picRssMio));
    o.push({ objectif: 'pic RSS par processus sous cette charge', mesure: `${Math.round(mo(pic))} Mo`, cible: '< 250 Mo', atteint: mo(pic) < 250 });
  }
  const lp = r.lp;
  if (lp?.ratios.passerelleSurBrut !== undefined) {
    const naif = lp.ratios.passerelleSurNaif;
    o.push({
      objectif: 'fichier de LP ÷ INSERT multi-lignes brut',
      mesure: `×${lp.ratios.passerelleSurBrut}${lp.ratiosParTour?.length > 1 ? ` (tours : ${lp.ratiosParTour.join(' / ')})` : ''}${naif !== undefined ? ` (×${naif} le naïf TypeORM)` : ''}`,
      cible: '≥ ×0,7',
      atteint: lp.ratios.passerelleSurBrut >= 0.7,
    });
  }
  if (r.soap)
    o.push({
      objectif: `listes SOAP de LP (${r.soap.parAppel} par appel) ÷ INSERT multi-lignes brut`,
      mesure: `×${r.soap.ratios.passerelleSurBrut}${(r.soap.ratiosParTour?.length ?? 0) > 1 ? ` (tours : ${r.soap.ratiosParTour!.join(' / ')})` : ''} (×${r.soap.ratios.passerelleSurNaif} node-soap + TypeORM save())`,
      cible: '≥ ×0,7',
      atteint: r.soap.ratios.passerelleSurBrut >= 0.7,
    });
  const imp = r.import?.resume as { ratioDesMedianes?: number } | undefined;
  if (imp?.ratioDesMedianes !== undefined)
    o.push({
      objectif: "fichier d'OPI (export Parcoursup) ÷ INSERT multi-lignes brut",
      mesure: `×${imp.ratioDesMedianes}`,
      cible: '≥ ×0,7',
      atteint: imp.ratioDesMedianes >= 0.7,
    });
  const m = r.lpMillion?.resultats.find((x) => x.variant === 'passerelle');
  if (m)
    o.push({
      objectif: 'fichier de 1 000 000 de LP : pic RSS',
      mesure: `${Math.round(mo(Math.max(m.peakRssMiB, m.vmHwmMiB)))} Mo`,
      cible: '< 300 Mo',
      atteint: mo(Math.max(m.peakRssMiB, m.vmHwmMiB)) < 300,
    });
  const e = r.endurance?.passerelle;
  if (e?.rssParMinuteMio?.length) {
    const minutes = e.rssParMinuteMio;
    const debut = Math.max(...(minutes[Math.min(1, minutes.length - 1)] ?? [0]));
    const fin = Math.max(...minutes[minutes.length - 1]);
    o.push({
      objectif: `endurance ${Math.round(e.dureeS / 60)} min à ${e.debit}/s : RSS de la 2e à la dernière minute`,
      mesure: `${Math.round(mo(debut))} → ${Math.round(mo(fin))} Mo (p99 ${e.latencesMs.p99} ms)`,
      cible: 'plat (≤ +10 %), < 250 Mo',
      atteint: fin <= debut * 1.1 && mo(fin) < 250,
    });
  }
  return o;
}

/** `min / médiane / max` of a variant's rounds, or its one figure. */
function etendue(l: number[]): string | number {
  const d = [...l].sort((a, b) => a - b);
  return d.length > 1 ? `${d[0]} / ${d[Math.floor(d.length / 2)]} / ${d[d.length - 1]}` : d[0];
}

function table(entete: string[], lignes: (string | number)[][]): string {
  return [`| ${entete.join(' | ')} |`, `| ${entete.map(() => '---').join(' | ')} |`, ...lignes.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

export function markdown(r: ResultatBench, obj: Objectif[]): string {
  const s: string[] = [`# Benchmarks du ${r.date.slice(0, 16).replace('T', ' ')} UTC`, ''];
  s.push(
    `${r.machine.coeurs} cœurs, Node ${r.machine.node}, MariaDB ${r.machine.mariadb}, charge avant ${r.machine.chargeAvant.map((x) => x.toFixed(2)).join(' / ')}${r.dureeSecondes ? `, ${Math.round(r.dureeSecondes)} s en tout` : ''}.`,
    '',
  );
  s.push(
    '## Objectifs',
    '',
    table(
      ['objectif', 'mesuré', 'cible', ''],
      obj.map((x) => [x.objectif, x.mesure, x.cible, x.atteint ? 'atteint' : 'NON']),
    ),
    '',
  );
  if (r.unitaires) {
    const u = r.unitaires;
    s.push(`## Écritures unitaires (${u.enregistrements} enregistrements par mesure, ${u.tours} tours entrelacés)`, '');
    s.push(
      table(
        [
          'variante',
          'par s (min / médiane / max)',
          'CPU passerelle ms / enr.',
          'CPU envoi ms / enr.',
          'CPU MariaDB ms / enr.',
          'instructions / enr.',
          'commits / enr.',
        ],
        Object.entries(u.variantes).map(([k, v]) => [
          k,
          `${v.min} / ${v.mediane} / ${v.max}`,
          v.cpuMsParEnregistrement ?? '—',
          v.cpuEnvoiMsParEnregistrement ?? '—',
          v.cpuMariadbMsParEnregistrement ?? '—',
          v.instructionsParEnregistrement,
          v.commitsParEnregistrement,
        ]),
      ),
      '',
      table(
        ['rapport', 'médiane des tours', 'tour par tour'],
        Object.entries(u.ratios).map(([k, x]) => [k, `×${x}`, u.ratiosParTour?.[k]?.join(' / ') ?? '']),
      ),
      '',
    );
  }
  for (const [titre, o] of [
    ['Boucle ouverte', r.ouverte],
    ['Endurance', r.endurance],
  ] as const) {
    if (!o) continue;
    s.push(`## ${titre} (${o.passerelle.debit} requêtes/s, ${o.passerelle.dureeS} s, après ${o.reposS} s sans requête)`, '');
    if (o.demarrageAFroid)
      s.push(
        'La première ligne : les premières secondes de processus neufs (hors objectif : un répartiteur les amène en douceur, voir docs/deployment.md).',
        '',
      );
    s.push(
      table(
        ['cible', 'envoyées', 'erreurs', 'p50', 'p90', 'p99', 'max', 'p99 5 premières s', '> 250 ms'],
        [...(o.demarrageAFroid ? [{ ...o.demarrageAFroid, cible: `rest, démarrage à froid (${o.demarrageAFroid.dureeS} s)` }] : []), o.passerelle, o.brut].map(
          (g) => [
            g.cible,
            g.envoyees,
            g.erreurs,
            g.latencesMs.p50,
            g.latencesMs.p90,
            g.latencesMs.p99,
            g.latencesMs.max,
            g.cinqPremieresSecondesMs.p99,
            g.auDelaDe250Ms,
          ],
        ),
      ),
      '',
      `Pic RSS par processus (Mio) : ${Object.entries(o.passerelle.picRssMio)
        .map(([pid, v]) => `${pid} : ${v}`)
        .join(', ')}.`,
      '',
    );
  }
  for (const [titre, lp] of [
    ['Fichier de laissez-passer', r.lp],
    ['Fichier de 1 000 000 de laissez-passer', r.lpMillion],
  ] as const) {
    if (!lp) continue;
    s.push(`## ${titre} (${lp.csv.lignes} lignes)`, '');
    // Runs kept before the rounds existed have no `tours`: their one result per variant.
    const parVariante = lp.resultats.map((x) => lp.tours?.[x.variant] ?? [x]);
    s.push(
      table(
        ['variante', 'tours', 'lignes', 'lignes/s (min / médiane / max)', 'CPU Node s (médiane)', 'pic RSS Mio (max)'],
        parVariante.map((l) => [
          l[0].variant,
          l.length,
          l[0].rows,
          etendue(l.map((x) => x.rowsPerSecond)),
          mediane(l.map((x) => x.cpuSeconds)).toFixed(2),
          Math.max(...l.map((x) => x.peakRssMiB)).toFixed(1),
        ]),
      ),
      '',
    );
    if (lp.ratiosParTour?.length > 1) s.push(`passerelle ÷ brut, tour par tour : ${lp.ratiosParTour.map((x) => `×${x}`).join(', ')}.`, '');
  }
  if (r.soap)
    s.push(
      `## Listes de laissez-passer en SOAP (${r.soap.lignes} LP, ${r.soap.parAppel} par appel \`mettreAJourLaissezPasserEnMasse\`)`,
      '',
      table(
        ['variante', 'tours', 'LP', 'LP/s (min / médiane / max)', 'CPU Node s (médiane)'],
        r.soap.resultats.map((x) => {
          const l = r.soap!.tours?.[x.variant] ?? [x];
          return [x.variant, l.length, x.rows, etendue(l.map((y) => y.rowsPerSecond)), mediane(l.map((y) => y.cpuSeconds))];
        }),
      ),
      '',
    );
  if (r.import) s.push(...sectionImport(r.import));
  return `${s.join('\n')}\n`;
}

type Etendue = { min: number; mediane: number; max: number };

/** The OPI import's rounds as a table (its part writes min / median / max per variant in `resume`). */
function sectionImport(imp: Record<string, unknown>): string[] {
  const resume = imp.resume as
    | {
        brut?: Record<string, Etendue>;
        passerelle?: Record<string, Etendue>;
        ratioPasserelleSurBrutParTour?: Etendue;
        ratioDesMedianes?: number;
        picMemoirePasserelleMiB?: Record<string, number>;
      }
    | undefined;
  const lignes = (imp.csv as { lignes: number }[] | undefined)?.[0]?.lignes;
  const s = [`## Import d'OPI (export Parcoursup${lignes ? `, ${lignes} lignes` : ''})`, ''];
  if (!resume?.brut || !resume.passerelle) return [...s, '```json', JSON.stringify(resume ?? imp, null, 2), '```', ''];
  const e = (x?: Etendue) => (x ? etendue([x.min, x.mediane, x.max]) : '—');
  s.push(
    table(
      ['variante', 'lignes/s (min / médiane / max)', 'CPU Node s (médiane)', 'CPU MariaDB s (médiane)', 'pic RSS Mio (max)'],
      (['brut', 'passerelle'] as const).map((v) => {
        const x = resume[v]!;
        return [v, e(x.rowsPerSecond), x.cpuSeconds?.mediane ?? '—', x.cpuMysqldSeconds?.mediane ?? '—', x.peakRssMiB?.max ?? '—'];
      }),
    ),
    '',
    `passerelle ÷ brut : ×${resume.ratioDesMedianes} (rapport des médianes ; tour par tour ${e(resume.ratioPasserelleSurBrutParTour)}).`,
  );
  const memoire = resume.picMemoirePasserelleMiB;
  if (memoire)
    s.push(
      `Pic mémoire de la passerelle (Mio) : ${Object.entries(memoire)
        .map(([n, m]) => `${m} pour ${n} lignes`)
        .join(', ')}.`,
    );
  return [...s, ''];
}

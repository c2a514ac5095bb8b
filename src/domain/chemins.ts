/**
 * One field-path syntax for every door: dotted names with zero-based indices,
 * e.g. `individu.etatCivil.codNneIndOpi`, `voeux[1].codEtp`. The same mistake shows the same
 * path in a SOAP fault, in problem+json and in a bulk report.
 */

/** JSON Pointer (`/voeux/1/codEtp`, as ajv reports) → gateway path (`voeux[1].codEtp`). */
export function pointeurVersChemin(pointeur: string): string {
  if (!pointeur) return '';
  return pointeur
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

export function joindre(base: string, suite: string): string {
  if (!base) return suite;
  if (!suite) return base;
  return suite.startsWith('[') ? `${base}${suite}` : `${base}.${suite}`;
}

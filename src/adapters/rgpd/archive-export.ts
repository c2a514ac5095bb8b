/** A person's export as a zip (yazl, streamed): the JSON document, if asked, and every PJ file under the name the export gives it. */
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import type { ExportPersonne } from '../../application/rgpd';

/** A name a zip entry may carry: no folder climbing, no separators or controls from a file's original name. */
function nomSur(nom: string): string {
  const [dossier, ...reste] = nom.split('/');
  return `${dossier}/${reste
    .join('_')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced here.
    .replace(/[\\:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '_')}`;
}

export async function ecrireArchive(
  exp: ExportPersonne,
  lire: (empreinte: string) => Promise<Readable | undefined>,
  sortie: Writable,
  o: { avecJson: boolean },
): Promise<{ fichiers: number; manquants: string[] }> {
  const zip = new ZipFile();
  const fin = pipeline(zip.outputStream, sortie);
  if (o.avecJson) zip.addBuffer(Buffer.from(JSON.stringify(exp, null, 2)), 'personne.json');
  const manquants: string[] = [];
  let fichiers = 0;
  for (const f of exp.fichiers) {
    const flux = await lire(f.empreinte);
    if (!flux) {
      manquants.push(f.nom);
      continue;
    }
    zip.addReadStream(flux, nomSur(f.nom));
    fichiers++;
  }
  zip.end();
  await fin;
  return { fichiers, manquants };
}

import { IndividuOpi } from './individu-opi';
import { VoeuOpi } from './voeu-opi';
import { DoublonOpi } from './doublon-opi';
import { EntreeJournal } from './journal';
import { CodeNomenclature, Nomenclature } from './nomenclature';

export { IndividuOpi, VoeuOpi, DoublonOpi, EntreeJournal, CodeNomenclature, Nomenclature };
export const ENTITES = [IndividuOpi, VoeuOpi, DoublonOpi, EntreeJournal, CodeNomenclature, Nomenclature];

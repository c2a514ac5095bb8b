/**
 * What a platform module gives the OPI import: one candidate per row (or per pushed payload), turned
 * into the one canonical OPI (the REST JSON shape, checked afterwards by the same schema and rules as
 * every door), with the platform's own identifiers and the problems of the mapping itself.
 */
export type { Plateforme, ContexteMappage, CandidatMappe, FormatImport } from '../../application/ports';

/** The process's pino logger, for code that writes its own structured lines (request summaries). */
export const AISBF_LOGGER = Symbol('AISBF_LOGGER');

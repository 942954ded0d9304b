/** Injection token for the absolute path of the templates folder (templates/<type>/<channel>.<locale>.hbs). */
export const TEMPLATES_DIR = Symbol('TEMPLATES_DIR');

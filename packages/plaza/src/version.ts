import pkg from '../package.json' with { type: 'json' };

/** The version of the engine, from its package.json: what newspapers announce as `version`. */
export const VERSION: string = pkg.version;
